"""Entry point for WSGI servers and `python app.py`: the dashboard with settings from the
environment (see README). `make run` does the same through `parity serve`."""

from parity.settings import Settings
from parity.web.app import create_app

app = create_app(Settings.from_env())
server = app.server

if __name__ == "__main__":
    app.run(host="127.0.0.1", port=8050, debug=Settings.from_env().debug)
