"""Build step: ship copies of boundaries/ and seeds/ inside the geo package.

The repository keeps boundaries/ (the data manifest, place-name aliases) and
seeds/ (the seed records) at its top level, where people edit them. A wheel
must carry them inside the package, so this copies their CSV files into
geo/_shipped/ of the build; geo.settings reads them there when geo is
installed rather than run from a checkout. Everything else is in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("boundaries", "seeds")


class BuildPyWithRecords(build_py):
    """build_py, plus the top-level data folders copied into geo/_shipped/."""

    def run(self):
        super().run()
        for folder in SHIPPED:
            target = Path(self.build_lib) / "geo" / "_shipped" / folder
            target.mkdir(parents=True, exist_ok=True)
            for path in sorted((HERE / folder).glob("*.csv")):
                shutil.copy2(path, target / path.name)


setup(cmdclass={"build_py": BuildPyWithRecords})
