"""Entry point for WSGI servers and `python app.py`: the dashboard with settings from the
environment (see README). `make run` does the same through `parity serve` (gunicorn). Under
another WSGI server with several workers, set PARITY_SECRET_KEY: without it each worker signs
sessions with a key of its own."""

from parity.settings import Settings
from parity.web.app import create_app
from parity.web.serve import warm

app = warm(create_app(Settings.from_env()))  # set up before the first request (see warm)
server = app.server

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8050, debug=Settings.from_env().debug)
