"""Render deploy/nginx.conf.template with values from the environment, as the nginx image's
envsubst does: `python deploy/render_nginx_conf.py OUT [NAME=value ...]`. Used by the loopback
tests and by CI's `nginx -t` (the template itself is what compose.yaml mounts)."""

import os
import re
import sys
from pathlib import Path

TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def render(values: dict[str, str]) -> str:
    """The template with every ${NAME} replaced; raises KeyError naming a missing value."""
    return re.sub(r"\$\{([A-Z0-9_]+)\}", lambda match: values[match.group(1)], TEMPLATE.read_text())


if __name__ == "__main__":
    given = dict(argument.split("=", 1) for argument in sys.argv[2:])
    Path(sys.argv[1]).write_text(render({**os.environ, **given}))
