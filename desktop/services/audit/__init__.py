"""审计日志: the hash-chained log every change writes (``log``) and its browser (``query``)."""
