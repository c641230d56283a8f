#!/usr/bin/env python3
"""Parse iCalendar files with a real parser (the `icalendar` package) and print what they hold.

Usage: python3 Tests/Scripts/ics_check.py FILE...

Prints one JSON object on standard output:

    {"icalendar_version": "7.3.0",
     "files": [{"file": "venue.ics", "crlf": true, "max_line_octets": 75, "errors": [],
                "calendar": {"version": "2.0", "prodid": "...", "method": "PUBLISH", "timezones": ["Asia/Shanghai"]},
                "events": [{"uid": "...", "sequence": 0, "dtstart": "2020-09-07", "dtend": "2020-09-14",
                            "all_day": true, "tzid": null, "floating": false,
                            "dtstart_utc": null, "dtend_utc": null,
                            "summary": "...", "status": "CONFIRMED", "dtstamp": "2020-09-01T02:00:00+00:00"}]}]}

`dtstart`/`dtend` are ISO 8601: a date for all-day events, a date-time with its offset for
timed ones (`*_utc` gives the same instant in UTC). `errors` lists what the parser could not
read (icalendar is lenient and records problems on the components instead of raising).

Exit status: 0 when every file parsed, 1 when one did not, 2 when icalendar is not installed
(install it with `pip install icalendar`).
"""
import datetime
import json
import sys

try:
    import icalendar
except ImportError:
    sys.stderr.write("ics_check.py: the Python package 'icalendar' is not installed; install it with: pip install icalendar\n")
    sys.exit(2)


def when(component, name):
    """(iso text, all_day, tzid, floating, utc iso) of a DTSTART/DTEND property, or Nones."""
    if name not in component:
        return None, None, None, None, None
    prop = component.get(name)
    value = component.decoded(name)
    tzid = prop.params.get("TZID") if hasattr(prop, "params") else None
    if isinstance(value, datetime.datetime):
        floating = value.tzinfo is None
        utc = None if floating else value.astimezone(datetime.timezone.utc).isoformat()
        return value.isoformat(), False, tzid, floating, utc
    if isinstance(value, datetime.date):
        return value.isoformat(), True, tzid, False, None
    return str(value), None, tzid, None, None


def text(component, name):
    value = component.get(name)
    return None if value is None else str(value)


def check(path):
    with open(path, "rb") as handle:
        data = handle.read()
    physical = data.split(b"\r\n")
    crlf = data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    calendar = icalendar.Calendar.from_ical(data)
    errors = []
    for component in calendar.walk():
        for error in getattr(component, "errors", []) or []:
            errors.append({"component": component.name, "error": [str(part) for part in error] if isinstance(error, tuple) else str(error)})
    events = []
    for event in calendar.walk("VEVENT"):
        start, all_day, tzid, floating, start_utc = when(event, "DTSTART")
        end, end_all_day, end_tzid, end_floating, end_utc = when(event, "DTEND")
        sequence = event.get("SEQUENCE")
        stamp = event.decoded("DTSTAMP") if "DTSTAMP" in event else None
        events.append({
            "uid": text(event, "UID"),
            "sequence": None if sequence is None else int(sequence),
            "dtstart": start, "dtend": end,
            "all_day": all_day, "end_all_day": end_all_day,
            "tzid": tzid, "end_tzid": end_tzid,
            "floating": bool(floating or end_floating),
            "dtstart_utc": start_utc, "dtend_utc": end_utc,
            "summary": text(event, "SUMMARY"),
            "status": text(event, "STATUS"),
            "dtstamp": stamp.isoformat() if stamp is not None else None,
        })
    return {
        "file": path,
        "crlf": crlf,
        "max_line_octets": max((len(line) for line in physical), default=0),
        "errors": errors,
        "calendar": {
            "version": text(calendar, "VERSION"),
            "prodid": text(calendar, "PRODID"),
            "method": text(calendar, "METHOD"),
            "timezones": [text(zone, "TZID") for zone in calendar.walk("VTIMEZONE")],
        },
        "events": events,
    }


def main(paths):
    if not paths:
        sys.stderr.write("usage: ics_check.py FILE...\n")
        return 1
    files = []
    for path in paths:
        try:
            files.append(check(path))
        except Exception as error:  # a file the parser refuses is the finding, not a crash
            sys.stderr.write(f"ics_check.py: {path}: {type(error).__name__}: {error}\n")
            return 1
    json.dump({"icalendar_version": getattr(icalendar, "__version__", None), "files": files}, sys.stdout, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
