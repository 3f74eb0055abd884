"""Names from the OCHA 2018 shapefiles and the curated aliases (``boundaries/aliases.csv``)."""

import numpy as np
import pandas as pd

from ..errors import InputError
from .table import RANK_DISTRICT_NAME, RANK_OFFICIAL, frame


def official_names(districts, provinces):
    """English, Dari and alternative names of the districts and provinces."""
    alt = districts.assign(name=districts["alt_names"].str.split(";")).explode("name")
    return pd.concat(
        [
            frame(districts["district"], districts["district_pcode"], "ocha_district", RANK_OFFICIAL),
            frame(districts["district_dari"], districts["district_pcode"], "ocha_district_dari", RANK_OFFICIAL),
            frame(alt["name"], alt["district_pcode"], "ocha_district_alt", RANK_DISTRICT_NAME),
            frame(provinces["province"], provinces["province_pcode"], "ocha_province", RANK_OFFICIAL),
            frame(provinces["province_dari"], provinces["province_pcode"], "ocha_province_dari", RANK_OFFICIAL),
        ],
        ignore_index=True,
    )


def read_aliases(path):
    """Return the curated alias table (columns ``alias``, ``pcode``, ``why``).

    Raises
    ------
    InputError
        The file lacks a column, or a row lacks an alias or pcode.
    """
    try:
        aliases = pd.read_csv(path, dtype=str, keep_default_na=False, comment=None)
    except FileNotFoundError:
        return pd.DataFrame(columns=["alias", "pcode", "why"])
    except (pd.errors.ParserError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: not a readable CSV ({str(error).strip().splitlines()[-1]})") from error
    missing = {"alias", "pcode", "why"} - set(aliases.columns)
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
    blank = (aliases["alias"].str.strip() == "") | (aliases["pcode"].str.strip() == "")
    if blank.any():
        line = int(np.flatnonzero(blank.to_numpy())[0]) + 2
        raise InputError(f"{path}:{line}: alias and pcode must not be empty")
    return aliases.assign(alias=aliases["alias"].str.strip(), pcode=aliases["pcode"].str.strip().str.upper())


def alias_names(path, district_info, province_info):
    """The aliases as names (rank 0); every pcode must be an OCHA 2018 one."""
    aliases = read_aliases(path)
    known = aliases["pcode"].isin(district_info.index) | aliases["pcode"].isin(province_info.index)
    if not known.all():
        bad = aliases.loc[~known].iloc[0]
        raise InputError(f"{path}: alias {bad['alias']!r}: {bad['pcode']!r} is not an OCHA 2018 pcode")
    return frame(aliases["alias"], aliases["pcode"], "alias", RANK_OFFICIAL)
