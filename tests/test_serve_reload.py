"""`geo serve` while the records change: a reload picks up new records, never a
half-written file, and never records that fail validation."""

import os
import shutil
import threading
import time
from pathlib import Path

import httpx
import pandas as pd
import pytest
from serve_helpers import start_server, stop_server

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
DARQAD = "AF1815"


@pytest.fixture
def served(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    for name in ("incidents.csv", "claims.csv"):
        shutil.copy(SEEDS / name, records / name)
    process, base = start_server(records)
    yield base, records
    stop_server(process)


def darqad_status(base, date):
    response = httpx.get(f"{base}/collections/districts/items/{DARQAD}?datetime={date}", timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["properties"]["status"]


def incident_count(base):
    response = httpx.get(f"{base}/collections/incidents/items?limit=1", timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["numberMatched"]


def wait_for(condition, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def replace_atomically(path, frame):
    tmp = path.with_suffix(".tmp")
    frame.to_csv(tmp, index=False)
    os.replace(tmp, path)


def test_a_new_claim_is_served_after_the_file_changes(served):
    base, records = served
    assert darqad_status(base, "2019-09-30") == "taliban"
    claims = pd.read_csv(records / "claims.csv", dtype=str, keep_default_na=False)
    retaken = claims[claims["claim_id"] == "CLM-0012"].assign(
        claim_id="CLM-9001", date="2019-09-20", status="government"
    )
    replace_atomically(records / "claims.csv", pd.concat([claims, retaken]))
    assert wait_for(lambda: darqad_status(base, "2019-09-30") == "government")
    assert darqad_status(base, "2019-09-15") == "taliban"


def test_records_that_fail_validation_are_not_served(served):
    base, records = served
    before = incident_count(base)
    incidents = pd.read_csv(records / "incidents.csv", dtype=str, keep_default_na=False)
    broken = incidents.copy()
    broken.loc[0, "event_date"] = "not a date"
    replace_atomically(records / "incidents.csv", broken)

    def page():
        return httpx.get(f"{base}/", headers={"accept": "text/html"}, timeout=30).text

    assert wait_for(lambda: "were not reloaded" in page())
    assert incident_count(base) == before
    replace_atomically(
        records / "incidents.csv", pd.concat([incidents, incidents.iloc[[0]].assign(event_id="AFG-9002")])
    )
    assert wait_for(lambda: incident_count(base) == before + 1)
    assert "were not reloaded" not in page()


def test_a_file_written_slowly_is_never_served_half_written(served):
    base, records = served
    before = incident_count(base)
    text = (records / "incidents.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    extra = "AFG-9003" + lines[1][lines[1].index(",") :]  # the first record again, under a new id
    seen, stop = set(), threading.Event()

    def poll():
        while not stop.is_set():
            seen.add(incident_count(base))

    poller = threading.Thread(target=poll)
    poller.start()
    try:
        # Written in place, in two parts with a pause: the first part is itself a valid, shorter file.
        with open(records / "incidents.csv", "w", encoding="utf-8") as handle:
            handle.write("".join(lines[:10]))
            handle.flush()
            time.sleep(0.6)
            handle.write("".join(lines[10:]) + extra)
        assert wait_for(lambda: incident_count(base) == before + 1)
    finally:
        stop.set()
        poller.join()
    assert seen <= {before, before + 1}
