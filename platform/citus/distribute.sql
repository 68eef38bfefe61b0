-- Redline's schema spread over a Citus cluster, made from the models by
-- `redline citus-ddl` (a test fails when this file is stale). Run it once as the
-- tables' owner on the coordinator, after `redline db upgrade`. docs/operations.md
-- ("Many machines: Citus") says how it was checked.
BEGIN;
-- Sharded tables pointing at reference tables made in the same transaction.
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';

-- customer: the provinces themselves.
SELECT create_reference_table('customer');
-- outbox_message: written with the rows it announces; one relay reads across provinces.
SELECT create_reference_table('outbox_message');
-- tenant_node: the tree every scoped query joins by path; codes and paths unique nationally.
SELECT create_reference_table('tenant_node');
-- app_user: signing in finds the account before its province; usernames unique nationally.
SELECT create_reference_table('app_user');
-- api_token: read by every scripted request before its province is known.
SELECT create_reference_table('api_token');
-- role_grant: read by every request to know what its user may do.
SELECT create_reference_table('role_grant');
-- web_session: read by every request before its province is known (the cookie's hash).
SELECT create_reference_table('web_session');

SELECT create_distributed_table('ranking_cell', 'customer_id');
SELECT create_distributed_table('ranking_row', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('template_family', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('accident', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('action_plan', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('job_run', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('ledger_event', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('notification', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('report_letterhead', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('responsibility_statement', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('template', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('cycle', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('ledger_attachment', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('plan_section', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('template_item', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('veto_rule', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('assessment_group', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('ranking_snapshot', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('spot_check_draw', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('task_element', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('assessment', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('ranking_status', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('region_aggregate', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('appeal', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('assessment_entry', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('audit_event', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('item_score', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('report', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('spot_check_draw_target', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('spot_check_finding', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('veto_flag', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('attachment', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('hazard', 'customer_id', colocate_with => 'ranking_cell');
SELECT create_distributed_table('audit_chain', 'chain', colocate_with => 'ranking_cell');
SELECT create_distributed_table('audit_entry', 'chain', colocate_with => 'ranking_cell');

COMMIT;
