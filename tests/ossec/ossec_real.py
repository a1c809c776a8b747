#!/usr/bin/env python3
"""Check cases against a real OSSEC HIDS 4.2.0 (tests/ossec/ossec-env).

  ossec_real.py logtest PREFIX CASES...
      Every case through PREFIX/bin/ossec-logtest, in one run (its
      location is always "stdin"): the decoder, program name and decoded
      fields must be those the case gives, and for a local location
      (anything but an agent's "(name) ip->path": OSSEC 4.2 rules cannot
      tell local locations apart) the rule, level, hostname ("manager" is
      the host's own name) and user (dstuser) too.
  ossec_real.py analysisd PREFIX [--location L] CASES...
      Every case, from its location (default L, else "stdin"), sent to
      the running ossec-analysisd of PREFIX through its queue, as
      logcollector (local) and remoted (an agent's "(name) ip->path")
      send it; then a sentinel (rule 199999 of the test, level 1). When
      the sentinel's alert is in alerts.log, each case must have raised
      an alert of its rule and level, or none for level 0 and "rule:
      none"; "user:" is the alert's User: line (dstuser).
  ossec_real.py untrusted PREFIX --location L --allow IDS FILE...
      Every line of each FILE (one event a line, no rule), from location
      L, through analysisd: none may raise an alert of a rule of ours
      (1003xx) other than those of the comma-separated IDS (the
      untrusted rule 100304, ...).
  ossec_real.py agree PREFIX CASES...
      Like analysisd, but the expected rule of each case is the one
      tests/ossec/check_rules.py (the model) gives: the model and the
      real analysisd agree on every case.

CASES files are those of check_rules.py (blocks or RULE<TAB>EVENT); a
RULE<TAB>EVENT case expects the level that ossec/local_rules.xml gives
the rule. The rules must be installed with the test's site key
(check_rules.TEST_SITEKEY).
"""

import os
import re
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import check_rules as cr  # noqa: E402

SENTINEL_RULE = "199999"


def rule_levels():
    levels = {}
    with open(os.path.join(cr.TOP, "ossec", "local_rules.xml"),
              encoding="utf-8") as fp:
        for m in re.finditer(r'<rule id="(\d+)" level="(\d+)"', fp.read()):
            levels[m.group(1)] = m.group(2)
    return levels


def load_cases(paths, location):
    levels = rule_levels()
    out = []
    for p in paths:
        for case, where in cr.read_cases(p):
            case = dict(case)
            case.setdefault("location", location)
            if "level" not in case and case.get("rule", "none") != "none":
                if case["rule"] not in levels:
                    raise cr.CheckError("%s: rule %s is not in "
                                        "local_rules.xml" % (where,
                                                             case["rule"]))
                case["level"] = levels[case["rule"]]
            out.append((case, where))
    return out


def host_name():
    return socket.gethostname().split(".")[0]


# ---------------------------------------------------------------------
# ossec-logtest

def parse_logtest(text):
    """The blocks of ossec-logtest's output, one per event, as dicts."""
    blocks = []
    for part in text.split("**Phase 1: Completed pre-decoding.")[1:]:
        b = {"rule": "none", "level": None, "decoder": "none",
             "program_name": "none", "fields": {}}
        phase = 1
        for line in part.split("\n"):
            s = line.strip()
            if s.startswith("**Phase 2"):
                phase = 2
                continue
            if s.startswith("**Phase 3"):
                phase = 3
                continue
            m = re.match(r"([\w .-]+): '(.*)'$", s)
            if not m:
                continue
            k, v = m.group(1), m.group(2)
            if phase == 1:
                if k == "full event":
                    b["event"] = v
                elif k == "hostname":
                    b["hostname"] = v
                elif k == "program_name":
                    b["program_name"] = "none" if v == "(null)" else v
            elif phase == 2:
                if k == "decoder":
                    b["decoder"] = v
                else:
                    b["fields"][k] = v
            elif k == "Rule id":
                b["rule"] = v
            elif k == "Level":
                b["level"] = v
        blocks.append(b)
    return blocks


def run_logtest(prefix, cases):
    if not cases:
        return [], 0
    # One line per event: control characters deleted, as analysisd does
    # first (OS_CleanMSG) with any event.
    data = "".join(clean(c["event"]) + "\n" for c, _ in cases)
    if any(not clean(c["event"]).strip() for c, _ in cases):
        raise cr.CheckError("logtest: an event is empty")
    r = subprocess.run([os.path.join(prefix, "bin", "ossec-logtest"), "-q"],
                       input=data.encode("utf-8", "surrogateescape"),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = r.stdout.decode("utf-8", "surrogateescape")
    blocks = parse_logtest(out)
    if len(blocks) != len(cases):
        raise cr.CheckError("ossec-logtest gave %d results for %d events:\n%s"
                            % (len(blocks), len(cases), out[-2000:]))
    errors = []
    me = host_name()
    for (case, where), b in zip(cases, blocks):
        agent = case["location"].startswith("(")
        for key, want in case.items():
            if key in ("event", "location"):
                continue
            # Decoding does not depend on the location; the rules and
            # the hostname of an agent's event do (analysisd mode).
            if agent and key in ("rule", "level", "hostname", "user"):
                continue
            if key.startswith("field."):
                name = key[6:]
                have = b["fields"].get(name, "none")
            elif key == "hostname":
                have = b.get("hostname")
                if want == cr.MANAGER_HOST:
                    want = me
            elif key == "user":
                have = b["fields"].get("dstuser", "none")
            else:
                have = b.get(key)
                if key == "level" and case.get("rule") == "none":
                    continue
                if key == "rule" and want == "none" and \
                        not have.startswith("1003"):
                    # No rule of ours; a stock rule may take the line.
                    continue
                if key == "decoder" and want == "none" and not (
                        have.startswith("dbsyscheck") or have == "ossec"):
                    # The model knows no stock decoder but "ossec": none
                    # of ours (nor a child of "ossec") took the line.
                    continue
            if have != want:
                errors.append("%s: ossec-logtest: %s: want %r, got %r\n"
                              "  event: %s" % (where, key, want, have,
                                               case["event"]))
    return errors, len(cases)


# ---------------------------------------------------------------------
# ossec-analysisd through its queue

def parse_alerts(text):
    """(location line, rule, level, user, log) of every alert."""
    out = []
    for part in text.split("** Alert ")[1:]:
        lines = part.split("\n")
        head = lines[1] if len(lines) > 1 else ""
        m = re.match(r"Rule: (\d+) \(level (\d+)\)", lines[2]
                     if len(lines) > 2 else "")
        if not m:
            continue
        user = None
        i = 3
        while i < len(lines) and re.match(r"(Src IP|Src Port|Dst IP|"
                                          r"Dst Port|User|Src Location|"
                                          r"Dst Location): ", lines[i]):
            if lines[i].startswith("User: "):
                user = lines[i][6:]
            i += 1
        log = lines[i] if i < len(lines) else ""
        # "YYYY Mon DD HH:MM:SS HOST->LOCATION" or "... (agent) ip->LOC".
        where = head.split(" ", 4)[4] if head.count(" ") >= 4 else head
        out.append({"where": where, "rule": m.group(1),
                    "level": m.group(2), "user": user, "log": log})
    return out


def clean(event):
    """The event as analysisd keeps it: control characters deleted."""
    return "".join(ch for ch in event
                   if not (ord(ch) < 32 or ord(ch) == 127))


def run_analysisd(prefix, cases, model=None, allowed=None):
    queue = os.path.join(prefix, "queue", "ossec", "queue")
    alerts = os.path.join(prefix, "logs", "alerts", "alerts.log")
    try:
        before = os.path.getsize(alerts)
    except FileNotFoundError:
        before = 0
    tag = "%d.%d" % (os.getpid(), int(time.time() * 1000))
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.connect(queue)
    seen = set()
    todo = []
    for case, where in cases:
        key = (case["location"], clean(case["event"]))
        if key in seen:
            # Same event, same place: the same verdict, one alert only.
            todo.append((case, where, key, False))
            continue
        seen.add(key)
        todo.append((case, where, key, True))
        msg = "1:%s:%s" % (case["location"], case["event"])
        sock.send(msg.encode("utf-8", "surrogateescape"))
        # analysisd drops a syslog-type event equal to one of the three
        # before it (LastMsg_Stats, flood protection): three distinct
        # lines that no rule takes keep the same event from two
        # locations apart.
        for i in range(3):
            sock.send(("1:stdin:dbsc-test-filler %s %d %d"
                       % (tag, len(todo), i)).encode())
    sock.send(("1:stdin:dbsc-test-sentinel %s" % tag).encode())
    sock.close()
    # Bounded wait for the sentinel: analysisd handles the queue in order
    # (one thread per stage: ossec-env), so every event is done by then.
    text = ""
    for _ in range(1200):
        try:
            with open(alerts, "rb") as fp:
                fp.seek(before)
                text = fp.read().decode("utf-8", "surrogateescape")
        except FileNotFoundError:
            text = ""
        if "dbsc-test-sentinel %s" % tag in text:
            break
        time.sleep(0.1)
    else:
        raise cr.CheckError("no sentinel alert in %s after 120 s" % alerts)
    got = {}
    for a in parse_alerts(text):
        if a["rule"] == SENTINEL_RULE:
            continue
        where = a["where"]
        if not where.startswith("("):
            # A local event: HOST->LOCATION, HOST the syslog host or ours.
            where = where.split("->", 1)[1] if "->" in where else where
        got.setdefault((where, a["log"]), []).append(a)
    errors = []
    if allowed is not None:
        # Every alert of the run, whatever event it belongs to: a trusted
        # rule of ours is a failure.
        for (loc, log), alist in got.items():
            for a in alist:
                if a["rule"].startswith("1003") and a["rule"] not in allowed:
                    errors.append("analysisd: a trusted rule, %s (level %s),"
                                  " from %s\n  event: %s"
                                  % (a["rule"], a["level"], loc, log))
        return errors, len(todo)
    for case, where, key, first in todo:
        loc, log = key
        have = got.get((loc, log[:1256]), [])
        if model is not None:
            rule, level = model(case)
        else:
            rule, level = case.get("rule", "none"), case.get("level")
        if rule == "none":
            # No rule of ours; a stock rule may take the line.
            have = [a for a in have if a["rule"].startswith("1003")]
        if rule == "none" or level == "0":
            if have:
                errors.append("%s: analysisd: want no alert, got rule %s "
                              "(level %s) from %s\n  event: %s"
                              % (where, have[0]["rule"], have[0]["level"],
                                 loc, case["event"]))
            continue
        if not have:
            errors.append("%s: analysisd: want rule %s (level %s), got no "
                          "alert from %s\n  event: %s"
                          % (where, rule, level, loc, case["event"]))
            continue
        a = have[0]
        if first and len(have) != 1:
            errors.append("%s: analysisd: %d alerts for one event"
                          % (where, len(have)))
        if a["rule"] != rule or a["level"] != level:
            errors.append("%s: analysisd: want rule %s (level %s), got %s "
                          "(level %s) from %s\n  event: %s"
                          % (where, rule, level, a["rule"], a["level"], loc,
                             case["event"]))
        if "user" in case and model is None:
            want = None if case["user"] == "none" else case["user"]
            if a["user"] != want:
                errors.append("%s: analysisd: User: want %r, got %r"
                              % (where, want, a["user"]))
    return errors, len(todo)


def model_of():
    decs, rules = cr.load([os.path.join(cr.TOP, "ossec",
                                        "local_decoder.xml")],
                          [os.path.join(cr.TOP, "ossec", "local_rules.xml")],
                          False)

    def model(case):
        _, rule = cr.analyse(decs, rules, case["event"], False,
                             case["location"])
        if rule is None:
            return "none", None
        return str(rule.id), str(rule.level)
    return model


def main(argv):
    if len(argv) < 4 or argv[1] not in ("logtest", "analysisd", "agree",
                                        "untrusted"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, prefix, args = argv[1], argv[2], argv[3:]
    location = "stdin"
    if args[:1] == ["--location"]:
        location = args[1]
        args = args[2:]
    allowed = None
    if args[:1] == ["--allow"]:
        allowed = set(args[1].split(","))
        args = args[2:]
    try:
        if mode == "untrusted":
            if allowed is None:
                raise cr.CheckError("untrusted: no --allow")
            cases = []
            for p in args:
                with open(p, encoding="utf-8", errors="surrogateescape") as fp:
                    for n, line in enumerate(fp.read().split("\n"), 1):
                        if clean(line).strip():
                            cases.append(({"event": line,
                                           "location": location},
                                          "%s:%d" % (p, n)))
            errors, n = run_analysisd(prefix, cases, allowed=allowed)
        else:
            cases = load_cases(args, location)
        if mode == "untrusted":
            pass
        elif mode == "logtest":
            errors, n = run_logtest(prefix, cases)
        elif mode == "analysisd":
            errors, n = run_analysisd(prefix, cases)
        else:
            errors, n = run_analysisd(prefix, cases, model_of())
    except cr.CheckError as e:
        print("ossec_real: %s" % e, file=sys.stderr)
        return 1
    for e in errors:
        print("FAIL %s" % e, file=sys.stderr)
    print("ossec_real %s: %d case(s), %d failure(s)" % (mode, n, len(errors)))
    return 1 if errors or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
