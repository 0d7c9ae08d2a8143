from backwalk.cli.main import run

run()
