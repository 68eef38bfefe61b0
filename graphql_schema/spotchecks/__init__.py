"""The API of double-random spot-check draws (双随机, 一公开): draw, publish, read."""
