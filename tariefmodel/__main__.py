"""python -m tariefmodel: the same as the tariefmodel command."""

from .cli import main

main()
