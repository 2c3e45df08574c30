"""Never lose or half-write data: hostile files, many people at once, crashes, full or locked
disks. Quick versions run in `make test`; `python -m bench.reliability` runs the long ones."""
