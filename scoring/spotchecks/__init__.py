"""Double-random spot-check draws (双随机, 一公开): targets and inspectors from a published seed."""
