"""The web face of backwalk: a local web app over the same core and diary as the CLI.

`from backwalk.web.app import create_app`. Nothing is imported here, so that using one piece
(the charts, say) does not load FastAPI.
"""
