"""geo as an installed package: a built wheel, installed into a fresh virtual
environment, builds a map from an empty folder; where the records come from."""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import settings
from geo.cli import main

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """Build the wheel (pip wheel --no-deps) and install it, without its
    dependencies, into a venv that sees this machine's packages."""
    root = tmp_path_factory.mktemp("install")
    wheels = root / "wheels"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(PROJECT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    (wheel,) = wheels.glob("geo-*.whl")
    venv.create(root / "venv", system_site_packages=True, with_pip=True)
    python = root / "venv" / "bin" / "python"
    # Nothing of the checkout on the path: the venv must use the wheel alone
    # (--force-reinstall, as this machine may already hold an editable geo).
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "GEO_RECORDS_DIR")}
    done = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", "--force-reinstall", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env=env,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr
    return root / "venv" / "bin", env, wheel


def test_wheel_ships_the_manifest_aliases_and_seeds(installed):
    import zipfile

    _, _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("boundaries/manifest.csv", "boundaries/aliases.csv", "seeds/incidents.csv", "seeds/claims.csv"):
        assert f"geo/_shipped/{name}" in names
        assert zipfile.ZipFile(wheel).read(f"geo/_shipped/{name}") == (PROJECT / name).read_bytes()


def test_installed_geo_builds_from_an_empty_folder(installed, tmp_path):
    bin_dir, env, _ = installed
    done = subprocess.run(
        [str(bin_dir / "python"), "-c", "import geo; print(geo.__file__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.stdout.startswith(str(bin_dir.parent)), done.stdout + done.stderr
    done = subprocess.run(
        [str(bin_dir / "geo"), "build", "--date", "2019-09-30"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "maps/2019-09-30.html  (25 incidents;" in done.stdout
    assert sorted(path.name for path in (tmp_path / "maps").iterdir()) == [
        "2019-09-30-districts.geojson",
        "2019-09-30-incidents.geojson",
        "2019-09-30-incidents.parquet",
        "2019-09-30.gpkg",
        "2019-09-30.html",
    ]


def test_installed_geo_imports_and_validates(installed, tmp_path):
    bin_dir, env, _ = installed
    fixture = Path(__file__).parent / "data" / "acled_fixture.csv"
    done = subprocess.run(
        [str(bin_dir / "geo"), "import", "acled", str(fixture), "--out", "mine.csv"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    done = subprocess.run(
        [str(bin_dir / "geo"), "validate", "--incidents", "mine.csv"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok: 12 mine.csv, 21 claims.csv"


def _records(folder, incidents_rows):
    """A records folder with the seeds' claims and the first `incidents_rows` seed incidents."""
    folder.mkdir()
    lines = (settings.SEEDS_DIR / "incidents.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "incidents.csv").write_text("".join(lines[: incidents_rows + 1]), encoding="utf-8")
    (folder / "claims.csv").write_bytes((settings.SEEDS_DIR / "claims.csv").read_bytes())
    return folder


def test_where_the_records_come_from(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(settings, "records_dir", None)
    assert settings.seed_records_dir() == settings.SEEDS_DIR
    chosen = _records(tmp_path / "elsewhere", 3)
    monkeypatch.setattr(settings, "records_dir", chosen)
    assert settings.seed_records_dir() == chosen
    result = CliRunner().invoke(main, ["validate"])
    assert result.stdout.strip() == "ok: 3 incidents.csv, 21 claims.csv", result.output
    here = _records(tmp_path / "seeds", 5)
    assert settings.seed_records_dir() == here
    assert CliRunner().invoke(main, ["validate"]).stdout.strip() == "ok: 5 incidents.csv, 21 claims.csv"
    assert settings.seed_records_dir(chosen) == chosen
    assert (
        CliRunner().invoke(main, ["validate", "--records", chosen]).stdout.strip()
        == "ok: 3 incidents.csv, 21 claims.csv"
    )
    result = CliRunner().invoke(main, ["build", "--date", "2019-09-30", "--records", tmp_path / "missing"])
    assert result.exit_code == 1 and "no such folder of records" in result.stderr
