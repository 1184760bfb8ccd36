"""Anchor: DuckDB's read_json over the payload, unnest, GROUP BY, COPY to CSV.

A general-purpose engine doing the original script's steps (README.md,
"Differences from the original script") in SQL: devices without a model are
dropped, the postcode is ChargeDeviceLocation.Address.PostCode uppercased, the
month is the first seven characters of DateUpdated, one row per distinct five
fields with their count, sorted (byte order of UTF-8, which is code point order).
Unlike pandas, GROUP BY keeps NULL keys (written as empty fields) and a missing
postcode does not crash.

The registry payload is one JSON object holding every device, and read_json
refuses an object larger than maximum_object_size (16 MB by default), so it is
set to the file's size: DuckDB must hold the whole document to parse it. The
option is a 32-bit unsigned integer, so a payload of 4 GiB or more cannot be read.

Usage: python duckdb_read_json.py <payload.json> <out.csv>. Prints nothing.
"""

import os
import sys

import duckdb


def sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def main(payload_path: str, csv_path: str) -> None:
    object_size = os.path.getsize(payload_path) + 1
    duckdb.sql(
        f"""
        COPY (
          SELECT
            d.ChargeDeviceManufacturer AS ChargeDeviceManufacturer,
            d.LocationType AS LocationType,
            d.ChargeDeviceModel AS ChargeDeviceModel,
            upper(d.ChargeDeviceLocation.Address.PostCode) AS PostCode,
            left(CAST(d.DateUpdated AS VARCHAR), 7) AS MonthUpdated,
            count(*) AS Count
          FROM (
            SELECT unnest(ChargeDevice) AS d
            FROM read_json({sql_string(payload_path)}, maximum_object_size = {object_size})
          )
          WHERE d.ChargeDeviceModel <> ''
          GROUP BY ALL
          ORDER BY ALL
        ) TO {sql_string(csv_path)} (FORMAT csv, HEADER)
        """
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
