"""Names from the 2019 district keyfile: seven spelling schemes keyed by the OCHA code."""

import pandas as pd

from .. import _names, data
from .table import RANK_DISTRICT_NAME, frame, province_keys, split_bracketed, with_keys

KEYFILE = "district_code_keyfile_2019.csv"

# The keyfile's name columns, by scheme.
_SCHEMES = {
    "2018_UNOCHA_district_name_eng": "keyfile_2018_OCHA",
    "2019_IEC_district_name_eng": "keyfile_2019_IEC",
    "2018_IEC_district_name_eng": "keyfile_2018_IEC",
    "2014_IEC_district_name_eng": "keyfile_2014_IEC",
    "2012_AGCHO_district_name_eng": "keyfile_2012_AGCHO",
    "2010_IEC_district_name_eng": "keyfile_2010_IEC",
    "2009_IEC_district_name_eng": "keyfile_2009_IEC",
}
_CODE = "2018_UNOCHA_district_code"


def keyfile_names(provinces, province_info):
    """Every scheme's name of every district (rank 1); bracketed second names too."""
    keyfile = pd.read_csv(data.fetch(KEYFILE), dtype=str, keep_default_na=False, encoding="utf-8")
    keyfile = keyfile[keyfile[_CODE].str.fullmatch(r"AF\d{4}")]
    long = keyfile.melt(id_vars=[_CODE], value_vars=list(_SCHEMES), var_name="column", value_name="name")
    long["name"] = split_bracketed(long["name"])
    long = long.explode("name")
    long["name"] = _without_province_suffix(long["name"], long[_CODE].str[:4], province_info)
    names = frame(long["name"], long[_CODE], long["column"].map(_SCHEMES), RANK_DISTRICT_NAME)
    # A bracketed province name only says where the district is.
    keyed = with_keys(names)
    return keyed[~keyed["key"].isin(province_keys(provinces))][names.columns]


def _without_province_suffix(names, province_pcodes, province_info):
    """Cut a trailing province name: 2009's "MUQUR BADGHIS" is Muqur."""
    text = names.fillna("").astype(str).str.strip()
    last_word = text.str.extract(r"\s(\S+)$", expand=False).fillna("")
    last_key = _names.normalize_names(last_word)["key"]
    province_key = _names.normalize_names(province_pcodes.map(province_info["province"]))["key"]
    is_suffix = (last_key != "") & (last_key == province_key)
    return text.where(~is_suffix, text.str.replace(r"\s\S+$", "", regex=True))
