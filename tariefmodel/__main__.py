"""python -m tariefmodel: the same as the tariefmodel command."""

from tariefmodel.cli.main import main

main()
