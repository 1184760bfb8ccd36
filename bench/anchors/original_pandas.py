"""Anchor: the original Python script's processing steps, re-expressed.

The script this service replaced (requests + pandas + boto3) is not kept; this
re-expresses its processing as README.md's "Differences from the original
script" describes it, faults included, so the bench compares against what ran
before, not against a fixed version:

- the whole payload is read and decoded with json.loads, then put in a DataFrame;
- devices without a model are dropped; the postcode of every kept device is
  ChargeDeviceLocation.Address.PostCode uppercased (no canonical form, no trim),
  so a kept device without one crashes the script (KeyError/TypeError/AttributeError);
- the month is the first seven characters of DateUpdated;
- groupby on the five fields (its default dropna drops every device with a null
  manufacturer or location type), size as Count, rows in groupby's sorted order
  (code points); to_csv with the platform's line endings.

Usage: python original_pandas.py <payload.json> <out.csv>. Prints nothing.
"""

import json
import sys

import pandas as pd

KEYS = ["ChargeDeviceManufacturer", "LocationType", "ChargeDeviceModel", "PostCode", "MonthUpdated"]


def main(payload_path: str, csv_path: str) -> None:
    with open(payload_path, encoding="utf-8") as payload:
        data = json.loads(payload.read())
    devices = pd.DataFrame(data["ChargeDevice"])
    devices = devices[devices["ChargeDeviceModel"].notna() & (devices["ChargeDeviceModel"] != "")].copy()
    devices["PostCode"] = devices["ChargeDeviceLocation"].map(lambda location: location["Address"]["PostCode"].upper())
    devices["MonthUpdated"] = devices["DateUpdated"].str[:7]
    counts = devices.groupby(KEYS).size().reset_index(name="Count")
    counts.to_csv(csv_path, index=False)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
