"""Evidence in an S3-compatible bucket (REDLINE_ATTACHMENT_BUCKET): the bucket store keeps the
folder store's promises, and through the API an upload lands in the bucket, downloads from it
and leaves it with its last row. The bucket is served by moto's S3 server, a process of its own
spoken to over HTTP (no S3-compatible service runs on the development machine)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest

from redline.config import Settings
from scoring.evidence import BucketStore, EvidenceStore, FolderStore, evidence_store
from tests.factories.api import PDF, fields_of, gid, mutate, signed_in, upload_evidence
from tests.factories.assessments import assessment_of, open_sample_cycle
from tests.factories.processes import answers_ok, free_port, wait_for
from tests.factories.templates import published_sample

BUCKET = "redline-evidence"


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory) -> Iterator[str]:
    """An S3 server on loopback with the bucket made, and credentials for boto3 to sign with."""
    port = free_port()
    log = (tmp_path_factory.mktemp("s3") / "moto.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("moto_server")), "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"
    patch = pytest.MonkeyPatch()
    for name, value in {
        "AWS_ACCESS_KEY_ID": "redline-test",
        "AWS_SECRET_ACCESS_KEY": "redline-test-secret",
        "AWS_DEFAULT_REGION": "cn-north-1",
    }.items():
        patch.setenv(name, value)
    try:
        wait_for(lambda: server.poll() is None and answers_ok(endpoint), "moto's S3 server")
        _client(endpoint).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"}
        )
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
        patch.undo()


def _client(endpoint: str):
    return boto3.session.Session().client("s3", endpoint_url=endpoint)


def _keys(endpoint: str) -> list[str]:
    listed = _client(endpoint).list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listed.get("Contents", []))


@pytest.fixture(params=["folder", "bucket"])
def store(request, tmp_path) -> EvidenceStore:
    if request.param == "folder":
        return FolderStore(tmp_path / "evidence")
    endpoint = request.getfixturevalue("s3_endpoint")
    for key in _keys(endpoint):
        _client(endpoint).delete_object(Bucket=BUCKET, Key=key)
    return BucketStore(BUCKET, endpoint)


def test_a_store_keeps_one_copy_per_content_under_its_checksum(store):
    data = "安委会会议纪要".encode() * 100
    sha256 = store.put(data)
    assert sha256 == hashlib.sha256(data).hexdigest()
    assert store.put(data) == sha256  # again: the same name, nothing more
    assert store.exists(sha256)
    with store.open(sha256) as stream:
        assert stream.read() == data
    store.delete(sha256)
    assert not store.exists(sha256)
    store.delete(sha256)  # gone already: no error
    with pytest.raises(FileNotFoundError):
        store.open(sha256)


def test_a_store_refuses_a_name_that_is_no_checksum(store):
    for name in ("../../etc/passwd", "ab/cd", "A" * 64):
        with pytest.raises(ValueError):
            store.exists(name)


def test_the_settings_choose_the_bucket_over_the_folder(tmp_path):
    folder = evidence_store(Settings(attachment_dir=tmp_path))
    assert isinstance(folder, FolderStore) and folder.root == tmp_path
    bucket = evidence_store(
        Settings(
            attachment_dir=tmp_path,
            attachment_bucket=BUCKET,
            s3_endpoint_url="http://127.0.0.1:9",
        )
    )
    assert isinstance(bucket, BucketStore) and bucket.bucket == BUCKET
    env = Settings.from_env
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REDLINE_ATTACHMENT_BUCKET", BUCKET)
        patch.setenv("REDLINE_S3_ENDPOINT_URL", "https://oss-cn-hangzhou.aliyuncs.com")
        read = env()
    assert (read.attachment_bucket, read.s3_endpoint_url) == (
        BUCKET,
        "https://oss-cn-hangzhou.aliyuncs.com",
    )


def test_evidence_uploaded_through_the_api_lives_in_the_bucket(
    world, runtime, make_gql, s3_endpoint, tmp_path
):
    for key in _keys(s3_endpoint):
        _client(s3_endpoint).delete_object(Bucket=BUCKET, Key=key)
    runtime.settings = runtime.settings.with_(
        attachment_dir=tmp_path / "unused",
        attachment_bucket=BUCKET,
        s3_endpoint_url=s3_endpoint,
    )
    cycle = open_sample_cycle(world, owner_code="330400", template=published_sample(world))
    world.commit()
    aid = gid("Assessment", assessment_of(world, cycle, "330402901").id)
    clerk = signed_in(make_gql, "xjd-clerk")
    reply = upload_evidence(clerk, aid, PDF, "安委会会议纪要.pdf", "application/pdf")
    uploaded = reply.get_json()["data"]["uploadEvidence"]
    assert uploaded["errors"] == []
    attachment = uploaded["attachment"]
    sha256 = attachment["sha256"]
    assert _keys(s3_endpoint) == [f"{sha256[:2]}/{sha256[2:4]}/{sha256}"]
    assert not (tmp_path / "unused").exists()  # nothing on the API's disk
    # The county's office downloads it from the bucket.
    download = signed_in(make_gql, "nanhu-office").http.get(attachment["downloadUrl"])
    assert download.status_code == 200 and download.data == PDF
    assert download.headers["Content-Length"] == str(len(PDF))
    # Removed with its last row, once the removal commits.
    remove = ("removeEvidence", "RemoveEvidenceInput", "removedId")
    removed = mutate(clerk, *remove, {"attachmentId": attachment["id"]})
    assert fields_of(removed) == []
    assert _keys(s3_endpoint) == []
    assert clerk.http.get(attachment["downloadUrl"]).status_code == 404
