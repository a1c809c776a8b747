#!/usr/bin/env python3
"""Check dbsyscheck's OSSEC decoders and rules without an OSSEC install.

An independent model, written from the documented behaviour of OSSEC 4.x
(src/analysisd/cleanevent.c, decoders/decoder.c, decoders/decode-xml.c,
decoders/decoders_list.c, rules.c, rules_list.c, analysisd.c,
os_regex/), of the parts of analysisd that dbsyscheck's files use:

  pre-decoding   timestamp, hostname and program name (OS_CleanMSG), with
                 the control-character removal of OSSEC 3.8 and later;
                 the event's location (the file or command alias it came
                 from) and the hostname OSSEC derives from it: for an
                 event from an agent ("(name) ip->/path") the whole
                 location, for a local one the syslog hostname or else
                 the manager's own name (MANAGER_HOST here)
  decoding       the two decoder lists (with and without program_name),
                 parents, children chosen by prematch, one regex, order
                 (static fields and dynamic ones), type, use_own_name
  rules          categories, decoded_as, if_sid, match, regex, field,
                 hostname, program_name, user, children sorted by level
                 (level 0 first), noalert; Wazuh only: location (OSSEC
                 4.2 has no such rule option and refuses the rule)
  OS_Match       literal text, ^ $ and | (case-insensitive)
  OS_Regex       \\d \\w \\s \\p \\S \\D \\W \\. \\t \\$ \\| \\< \\( \\) \\\\, + and *
                 after a class, ( ) captures, ^ $ and | per alternative

It also lints every pattern so that the old OS_Regex matcher (4 saved
backtrack points) and the PCRE2-based one agree on it: a quantifier must
be followed by text it cannot match, or by nothing but literals.

Usage:
  check_rules.py [--wazuh] [--decoders F] [--rules F] [--location L] CASES...
      Run every case of each CASES file; exit 1 on any mismatch. Events
      come from location L (default "stdin", as in ossec-logtest) unless
      a case names its own.
  check_rules.py --xmllint FILE...
      Check that each file is well-formed XML the way OSSEC reads it (no
      single root element: the file is wrapped in one before xmllint).
  check_rules.py --events command|full_command|log [--alias A] < OUTPUT
      Print the events OSSEC would analyse for dbsyscheck's OUTPUT when
      read by such a localfile (one event per line); the alias is the
      tests' (TEST_ALIAS) unless given.

The rule files are read with the tests' site key (TEST_SITEKEY) in place
of SITEKEY, as the install step of docs/OSSEC.md writes its own.
  check_rules.py [--wazuh] [--location L] --show EVENT
      Print what the model makes of one event.

CASES files: either blocks of "key: value" lines separated by blank lines
(keys: event, event_escaped, location, rule, level, decoder,
program_name, hostname, user (the alert's "User:" line), field.NAME; "rule: none" when no rule matches;
location is an input, like event), or one case per
line, "RULE<TAB>EVENT" (RULE a rule id or "none"). "#" starts a comment.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))

# OSSEC 4.x sizes (src/headers/defs.h, os_regex.h, decode-xml.c).
OS_MAXSTR = 6144
OS_LOG_HEADER = 256
PATTERN_MAX = 2048
DECODER_ELEMENT_MAX = 1023

# Just enough of the stock files: the "ossec" decoder (etc/decoder.xml),
# the category templates (rules_config.xml) and rules 500 and 530
# (etc/rules/ossec_rules.xml).
STOCK_DECODERS = """
<decoder name="ossec">
  <prematch>^ossec: </prematch>
  <type>ossec</type>
</decoder>
"""
STOCK_DECODERS_WAZUH = """
<decoder name="ossec">
  <prematch>^ossec: |^wazuh: </prematch>
  <type>ossec</type>
</decoder>
<decoder name="json">
  <prematch>^{\\s*"</prematch>
  <plugin_decoder>JSON_Decoder</plugin_decoder>
</decoder>
"""
STOCK_RULES = """
<group name="syslog,">
  <rule id="1" level="0" noalert="1">
    <category>syslog</category>
    <description>Generic template for all syslog rules.</description>
  </rule>
  <rule id="7" level="0" noalert="1">
    <category>ossec</category>
    <description>Generic template for all ossec rules.</description>
  </rule>
</group>
<group name="ossec,">
  <rule id="500" level="0">
    <category>ossec</category>
    <decoded_as>ossec</decoded_as>
    <description>Grouping of ossec rules.</description>
  </rule>
  <rule id="530" level="0">
    <if_sid>500</if_sid>
    <match>%s</match>
    <description>OSSEC process monitoring rules.</description>
  </rule>
</group>
"""
STOCK_530 = "^ossec: output: "
STOCK_530_WAZUH = "^ossec: output: |^wazuh: output: "

# The manager's own host name (gethostname() in analysisd), which a local
# event without a syslog hostname gets; ossec-logtest's location.
MANAGER_HOST = "manager"
DEFAULT_LOCATION = "stdin"

# The site key of the tests: the rule files are read as the install step
# of docs/OSSEC.md leaves them, with this key in place of SITEKEY (the
# command alias "dbsyscheck-" TEST_SITEKEY).
TEST_SITEKEY = "0123456789abcdef"
TEST_ALIAS = "dbsyscheck-" + TEST_SITEKEY


def with_sitekey(text):
    """The text as the install step for agents writes it: the test's key,
    and the agents' file rules switched on (docs/OSSEC.md)."""
    return text.replace("dbsyscheck-SITEKEY", TEST_ALIAS).replace(
        "[agents-only]", "")

STATIC_FIELDS = {
    "srcuser": "srcuser", "dstuser": "dstuser", "user": "dstuser",
    "srcip": "srcip", "dstip": "dstip", "srcport": "srcport",
    "dstport": "dstport", "protocol": "protocol", "action": "action",
    "id": "id", "url": "url", "data": "extra_data",
    "extra_data": "extra_data", "status": "status",
    "system_name": "system_name",
}


class CheckError(Exception):
    pass


# ---------------------------------------------------------------------
# Character classes of OS_Regex (os_regex_internal.h maps; the PCRE2
# conversion in os_converter.c uses the same sets).

PUNCT = set("!\"#$%&'()*+,-.:;<=>?[]{|}")
WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@_-")
DIGIT = set("0123456789")


def class_has(cls, ch):
    if cls == "d":
        return ch in DIGIT
    if cls == "w":
        return ch in WORD
    if cls == "s":
        return ch == " "
    if cls == "p":
        return ch in PUNCT
    if cls == "D":
        return ch not in DIGIT
    if cls == "W":
        return ch not in WORD
    if cls == "S":
        return ch != " "
    if cls == ".":
        return True
    if cls == "t":
        return ch == "\t"
    # \$ \| \< \( \) \\ stand for the character itself.
    return ch == cls


CLASS_LETTERS = set("dwspDWS.t$|<()\\")


# ---------------------------------------------------------------------
# OS_Regex: compile into alternatives of atoms, match by backtracking.

class Atom:
    __slots__ = ("kind", "value", "quant")

    def __init__(self, kind, value, quant=None):
        self.kind = kind        # "lit", "class", "open", "close"
        self.value = value
        self.quant = quant      # None, "+" or "*"

    def __repr__(self):
        return "%s:%r%s" % (self.kind, self.value, self.quant or "")


class Alternative:
    def __init__(self, atoms, begin, end, source):
        self.atoms = atoms
        self.begin = begin
        self.end = end
        self.source = source
        self.ngroups = sum(1 for a in atoms if a.kind == "open")


class OSRegex:
    def __init__(self, pattern, where=""):
        self.pattern = pattern
        self.where = where
        if len(pattern) > PATTERN_MAX:
            raise CheckError("%s: pattern longer than %d bytes"
                             % (where, PATTERN_MAX))
        self.alts = []
        for src in split_alternatives(pattern, where):
            self.alts.append(compile_alternative(src, where))
        counts = set(a.ngroups for a in self.alts)
        if len(counts) > 1:
            raise CheckError("%s: alternatives capture different numbers "
                             "of groups: %r" % (where, pattern))
        lint_regex(self, where)

    def search(self, text):
        """(end, captures) of the first alternative that matches, or None."""
        for alt in self.alts:
            r = search_alternative(alt, text)
            if r is not None:
                return r
        return None


def split_alternatives(pattern, where):
    alts, cur, i, depth = [], "", 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if i + 1 >= len(pattern):
                raise CheckError("%s: trailing backslash in %r"
                                 % (where, pattern))
            cur += pattern[i:i + 2]
            i += 2
            continue
        if c == "(":
            depth += 1
            if depth > 1:
                raise CheckError("%s: nested parenthesis in %r"
                                 % (where, pattern))
        elif c == ")":
            depth -= 1
            if depth < 0:
                raise CheckError("%s: unbalanced parenthesis in %r"
                                 % (where, pattern))
        elif c == "|":
            if depth:
                raise CheckError("%s: '|' inside parenthesis in %r"
                                 % (where, pattern))
            alts.append(cur)
            cur = ""
            i += 1
            continue
        cur += c
        i += 1
    if depth:
        raise CheckError("%s: unbalanced parenthesis in %r" % (where, pattern))
    alts.append(cur)
    return alts


def compile_alternative(src, where):
    s, begin, end = src, False, False
    if s.startswith("^"):
        begin, s = True, s[1:]
    # An unescaped final "$" anchors the end.
    if s.endswith("$") and not s.endswith("\\$"):
        end, s = True, s[:-1]
    atoms, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\":
            n = s[i + 1]
            if n not in CLASS_LETTERS:
                raise CheckError("%s: unknown escape \\%s in %r"
                                 % (where, n, src))
            atom = Atom("class", n)
            i += 2
            if i < len(s) and s[i] in "+*":
                atom.quant = s[i]
                i += 1
            atoms.append(atom)
            continue
        if c == "(":
            atoms.append(Atom("open", None))
        elif c == ")":
            atoms.append(Atom("close", None))
        else:
            atoms.append(Atom("lit", c.lower()))
        i += 1
    # The PCRE2 conversion makes every quantifier lazy but the last one of
    # an alternative when only ")" follow it; the old matcher behaves the
    # same for the patterns the lint lets through.
    return Alternative(atoms, begin, end, src)


def search_alternative(alt, text):
    low = text.lower()
    starts = [0] if alt.begin else range(len(text) + 1)
    for start in starts:
        caps = {}
        r = match_atoms(alt, 0, low, text, start, caps, [])
        if r is not None:
            end, groups = r
            return end, groups
    return None


def match_atoms(alt, k, low, text, pos, caps, opened):
    atoms = alt.atoms
    if k == len(atoms):
        if alt.end and pos != len(text):
            return None
        ordered = [text[s:e] for s, e in sorted(caps.values())]
        return pos, ordered
    a = atoms[k]
    if a.kind == "open":
        return match_atoms(alt, k + 1, low, text, pos, caps, opened + [pos])
    if a.kind == "close":
        start = opened[-1]
        caps2 = dict(caps)
        caps2[len(caps2)] = (start, pos)
        return match_atoms(alt, k + 1, low, text, pos, caps2, opened[:-1])
    if a.kind == "lit":
        if pos < len(low) and low[pos] == a.value:
            return match_atoms(alt, k + 1, low, text, pos + 1, caps, opened)
        return None
    # A class, with or without a quantifier.
    if a.quant is None:
        if pos < len(text) and class_has(a.value, text[pos]):
            return match_atoms(alt, k + 1, low, text, pos + 1, caps, opened)
        return None
    n = 0
    while pos + n < len(text) and class_has(a.value, text[pos + n]):
        n += 1
    least = 1 if a.quant == "+" else 0
    if n < least:
        return None
    greedy = all(b.kind == "close" for b in atoms[k + 1:])
    lengths = range(n, least - 1, -1) if greedy else range(least, n + 1)
    for m in lengths:
        r = match_atoms(alt, k + 1, low, text, pos + m, caps, opened)
        if r is not None:
            return r
    return None


def atom_can_match(a, ch):
    if a.kind == "lit":
        return a.value == ch.lower()
    return class_has(a.value, ch) or class_has(a.value, ch.upper())


def classes_overlap(a, b):
    for code in range(1, 256):
        ch = chr(code)
        if atom_can_match(a, ch) and atom_can_match(b, ch):
            return True
    return False


def lint_regex(reg, where):
    """Refuse patterns where the old matcher could differ from PCRE2."""
    for alt in reg.alts:
        real = [a for a in alt.atoms if a.kind in ("lit", "class")]
        for i, a in enumerate(real):
            if a.quant is None:
                continue
            if i + 1 == len(real):
                continue        # greedy to the end in both matchers
            nxt = real[i + 1]
            if not classes_overlap(a, nxt):
                continue        # deterministic: the next atom stops it
            rest = real[i + 1:]
            if any(b.kind == "class" and b.quant for b in rest):
                raise CheckError(
                    "%s: \\%s%s in %r is followed by text it can match and "
                    "by another quantifier: the old OS_Regex matcher keeps "
                    "only 4 backtrack points" % (where, a.value, a.quant,
                                                 alt.source))


# ---------------------------------------------------------------------
# OS_Match: literal text, ^ and $ at the ends of each "|" alternative.

class OSMatch:
    def __init__(self, pattern, where=""):
        if len(pattern) > PATTERN_MAX:
            raise CheckError("%s: pattern longer than %d bytes"
                             % (where, PATTERN_MAX))
        self.alts = []
        for alt in pattern.split("|"):
            begin = alt.startswith("^")
            if begin:
                alt = alt[1:]
            end = alt.endswith("$")
            if end:
                alt = alt[:-1]
            if "^" in alt or "$" in alt:
                raise CheckError("%s: ^ or $ inside an OS_Match alternative "
                                 "(OSSEC 4.x compiles it as PCRE2): %r"
                                 % (where, pattern))
            self.alts.append((alt.lower(), begin, end))

    def match(self, text):
        low = text.lower()
        for alt, begin, end in self.alts:
            if begin and end:
                ok = low == alt
            elif begin:
                ok = low.startswith(alt)
            elif end:
                ok = low.endswith(alt)
            else:
                ok = alt in low
            if ok:
                return True
        return False


# ---------------------------------------------------------------------
# Pre-decoding (OS_CleanMSG of OSSEC 4.x).

HOST_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                 "0123456789-._@/()")


class Event:
    def __init__(self, text, location):
        self.full_log = text
        self.log = text
        self.location = location
        self.hostname = None
        self.program_name = None
        self.decoder = None
        self.fields = {}        # dynamic, by lower-case name
        self.static = {}

    def field(self, name):
        name = name.lower()
        if name in self.fields:
            return self.fields[name]
        return self.static.get(STATIC_FIELDS.get(name, name))


def at(s, i, ch):
    return i < len(s) and s[i] == ch


def predecode(text, keep_controls=False, location=DEFAULT_LOCATION):
    ev = syslog_header(text, keep_controls, location)
    # The end of OS_CleanMSG: an agent's event has its location as its
    # hostname, whatever the line said; a local one the manager's name
    # when the line gave none.
    if location.startswith("("):
        ev.hostname = location
    elif ev.hostname is None:
        ev.hostname = MANAGER_HOST
    return ev


def syslog_header(text, keep_controls, location):
    if not keep_controls:
        # CVE-2020-8445 fix: every control character is deleted.
        text = "".join(c for c in text if ord(c) >= 32 and ord(c) != 127)
    ev = Event(text, location)
    p = text
    loglen = len(p) + 1
    skip = None
    if (loglen > 17 and at(p, 3, " ") and at(p, 6, " ") and at(p, 9, ":")
            and at(p, 12, ":") and at(p, 15, " ")):
        skip = 16                               # Dec 29 10:00:01
    elif (loglen > 24 and at(p, 4, "-") and at(p, 7, "-") and at(p, 10, " ")
          and at(p, 13, ":") and at(p, 16, ":") and at(p, 19, ",")):
        skip = 23                               # 2015-04-16 21:51:02,805
    elif (loglen > 33 and at(p, 4, "-") and at(p, 7, "-") and at(p, 10, "T")
          and at(p, 13, ":") and at(p, 16, ":")):
        if at(p, 22, ":") and at(p, 25, " "):
            skip = 26                           # ...T15:48:55-04:00
        elif at(p, 19, ".") or at(p, 19, ","):
            for i, s in ((24, 27), (25, 28), (26, 29), (27, 30), (28, 31),
                         (29, 32)):
                if at(p, i, ":"):
                    skip = s
                    break
    if skip is None and (loglen > 21 and p[:1].isdigit() and at(p, 4, " ")
                         and at(p, 8, " ") and at(p, 11, " ")
                         and at(p, 14, ":") and at(p, 17, ":")
                         and at(p, 20, " ")):
        skip = 21                               # 2015 Dec 29 10:00:01
    if skip is None and (loglen > 20 and p[:1].isdigit() and at(p, 4, ":")
                         and at(p, 7, ":") and at(p, 10, "-")
                         and at(p, 13, ":") and at(p, 16, ":")):
        skip = 20                               # 2019:11:06-00:08:03
    if skip is None:
        return ev
    log = p[skip:]
    if log.startswith(" "):
        log = log[1:]
    i = 0
    while i < len(log) and log[i] in HOST_CHARS:
        i += 1
    if log[i:i + 2] == ": ":
        ev.program_name = log[:i]               # no hostname (Solaris)
        ev.log = log[i + 2:]
        return ev
    if not log[i:i + 1] == " ":
        ev.log = log
        return ev
    ev.hostname = log[:i]
    rest = log[i + 1:]
    ev.log = rest
    j = 0
    while j < len(rest) and rest[j] in HOST_CHARS:
        j += 1
    name = rest[:j]
    if rest[j:j + 2] == ": ":
        ev.program_name, ev.log = name, rest[j + 2:]
    elif rest[j:j + 1] == "[" and rest[j + 1:j + 2].isdigit():
        k = j + 2
        while k < len(rest) and rest[k].isdigit():
            k += 1
        if rest[k:k + 3] == "]: ":
            ev.program_name, ev.log = name, rest[k + 3:]
        elif rest[k:k + 2] == "] ":
            ev.program_name, ev.log = name, rest[k + 2:]
    if ev.program_name is not None and ev.log.startswith("[ID "):
        e = ev.log.find("] ", 4)
        if e != -1:
            ev.log = ev.log[e + 2:]
    return ev


# ---------------------------------------------------------------------
# Decoders.

class Decoder:
    def __init__(self, node, where):
        self.name = node.get("name")
        if not self.name:
            raise CheckError("%s: decoder without a name" % where)
        self.where = "%s: decoder %s" % (where, self.name)
        self.parent = None
        self.program_name = None
        self.prematch = None
        self.regex = None
        self.order = []
        self.type = "syslog"
        self.use_own_name = False
        self.plugin = None
        self.children = []
        texts = {}
        for el in node:
            tag, content = el.tag, el.text or ""
            if tag in ("prematch", "regex") and el.get("offset"):
                raise CheckError("%s: offsets are not modelled (and not "
                                 "needed)" % self.where)
            if tag == "parent":
                self.parent = content
            elif tag in ("program_name", "prematch", "regex"):
                # Repeated elements are concatenated (_loadmemory).
                texts[tag] = texts.get(tag, "") + content
            elif tag == "order":
                self.order = [w for w in content.split(",")]
            elif tag == "type":
                self.type = content
            elif tag == "use_own_name":
                self.use_own_name = content == "true"
            elif tag == "plugin_decoder":
                self.plugin = content
            elif tag in ("fts", "ftscomment", "accumulate"):
                pass
            else:
                raise CheckError("%s: unknown element <%s>"
                                 % (self.where, tag))
        for tag, content in texts.items():
            if len(content) > DECODER_ELEMENT_MAX:
                raise CheckError("%s: <%s> longer than %d bytes"
                                 % (self.where, tag, DECODER_ELEMENT_MAX))
        if "program_name" in texts:
            self.program_name = OSMatch(texts["program_name"],
                                        self.where + " program_name")
        if "prematch" in texts:
            self.prematch = OSRegex(texts["prematch"],
                                    self.where + " prematch")
        if "regex" in texts:
            self.regex = OSRegex(texts["regex"], self.where + " regex")
        for w in self.order:
            if w != w.strip() or not w:
                raise CheckError("%s: space or empty name in <order>"
                                 % self.where)
        if self.regex is not None:
            n = self.regex.alts[0].ngroups
            if n != len(self.order):
                raise CheckError("%s: regex captures %d fields, order "
                                 "names %d" % (self.where, n, len(self.order)))
        elif self.order:
            raise CheckError("%s: order without regex" % self.where)
        if (self.parent is None and self.prematch is None
                and self.program_name is None and self.plugin is None):
            raise CheckError("%s: top-level decoder without prematch or "
                             "program_name" % self.where)
        self.id_name = self.name


class Decoders:
    def __init__(self):
        self.with_pname = []
        self.without_pname = []

    def add(self, d):
        if d.parent is None:
            if d.program_name is not None:
                self.with_pname.append(d)
            else:
                self.without_pname.append(d)
            return
        added = False
        for p in self.with_pname + self.without_pname:
            if p.name == d.parent:
                for c in p.children:
                    if c.name == d.name:
                        raise CheckError("%s: two children named %s (that "
                                         "makes a multi-regex decoder)"
                                         % (d.where, d.name))
                p.children.append(d)
                added = True
        if not added:
            raise CheckError("%s: parent %s not found" % (d.where, d.parent))

    def finish(self):
        # Children report their parent's name (and id) unless told not to.
        for p in self.with_pname + self.without_pname:
            for c in p.children:
                if not c.use_own_name:
                    c.id_name = p.name

    def names(self):
        out = set()
        for p in self.with_pname + self.without_pname:
            out.add(p.id_name)
            for c in p.children:
                out.add(c.id_name)
        return out

    def decode(self, ev):
        nodes = self.with_pname if ev.program_name else self.without_pname
        for p in nodes:
            if ev.program_name is not None and p.program_name is not None:
                if not p.program_name.match(ev.program_name):
                    continue
            if p.prematch is not None and p.prematch.search(ev.log) is None:
                continue
            ev.decoder = p
            chosen = None
            if not p.children:
                chosen = p
            else:
                for c in p.children:
                    if c.prematch is None:
                        chosen = c
                        break
                    if c.prematch.search(ev.log) is not None:
                        ev.decoder = c
                        chosen = c
                        break
                if chosen is None:
                    return
            if chosen.plugin == "JSON_Decoder":
                decode_json(ev, chosen)
                return
            if chosen.regex is None:
                return
            r = chosen.regex.search(ev.log)
            if r is None:
                return
            ev.decoder = chosen
            for name, value in zip(chosen.order, r[1]):
                if name in STATIC_FIELDS:
                    ev.static[STATIC_FIELDS[name]] = value
                else:
                    ev.fields[name.lower()] = value
            return


def decode_json(ev, d):
    try:
        obj = json.loads(ev.log)
    except ValueError:
        return
    if not isinstance(obj, dict):
        return
    ev.decoder = d
    for k, v in obj.items():
        if isinstance(v, (dict, list)):
            continue
        ev.fields[k.lower()] = v if isinstance(v, str) else json.dumps(v)


# ---------------------------------------------------------------------
# Rules.

class Rule:
    def __init__(self, node, group, where, decoder_names, wazuh=False):
        self.id = int(node.get("id"))
        self.level = int(node.get("level"))
        self.noalert = node.get("noalert") is not None
        self.where = "%s: rule %d" % (where, self.id)
        self.group = group
        self.category = "syslog"
        self.decoded_as = None
        self.if_sid = []
        self.match = None
        self.regex = None
        self.fields = []
        self.program_name = None
        self.hostname = None
        self.location = None
        self.user = None
        self.description = ""
        self.children = []
        matches, regexes = "", ""
        for el in node:
            tag, content = el.tag, el.text or ""
            if tag == "category":
                self.category = content
            elif tag == "decoded_as":
                if content not in decoder_names:
                    raise CheckError("%s: invalid decoder name %r"
                                     % (self.where, content))
                self.decoded_as = content
            elif tag == "if_sid":
                self.if_sid = [int(x) for x in re.split(r"[ ,]+",
                                                        content.strip()) if x]
            elif tag == "match":
                matches += content
            elif tag == "regex":
                regexes += content
            elif tag == "field":
                name = el.get("name")
                if not name:
                    raise CheckError("%s: field without a name" % self.where)
                self.fields.append((name, OSRegex(content, self.where +
                                                  " field " + name)))
            elif tag == "program_name":
                self.program_name = OSMatch(content, self.where)
            elif tag == "user":
                self.user = OSMatch(content, self.where)
            elif tag == "hostname":
                self.hostname = OSMatch(content, self.where + " hostname")
            elif tag == "location" and wazuh:
                self.location = OSMatch(content, self.where + " location")
            elif tag == "location":
                raise CheckError("%s: OSSEC 4.2 rules have no <location> "
                                 "(src/analysisd/rules.c)" % self.where)
            elif tag == "description":
                self.description = content
            elif tag == "group":
                self.group += content
            elif tag in ("options", "info", "cve"):
                pass
            else:
                raise CheckError("%s: element <%s> is not modelled"
                                 % (self.where, tag))
        if matches:
            self.match = OSMatch(matches, self.where + " match")
        if regexes:
            self.regex = OSRegex(regexes, self.where + " regex")
        # Sort key of rules.c: level 0 counts as 99, then times 100.
        self.sort_level = (99 if self.level == 0 else self.level) * 100

    def check(self, ev):
        if self.decoded_as is not None:
            if ev.decoder is None or ev.decoder.id_name != self.decoded_as:
                return None
        if self.program_name is not None:
            if ev.program_name is None or \
                    not self.program_name.match(ev.program_name):
                return None
        if self.hostname is not None:
            if ev.hostname is None or not self.hostname.match(ev.hostname):
                return None
        if self.location is not None:
            if not self.location.match(ev.location):
                return None
        if self.match is not None and not self.match.match(ev.log):
            return None
        if self.regex is not None and self.regex.search(ev.log) is None:
            return None
        for name, reg in self.fields:
            v = ev.fields.get(name.lower())
            if v is None or reg.search(v) is None:
                return None
        if self.user is not None:
            u = ev.static.get("dstuser") or ev.static.get("srcuser")
            if u is None or not self.user.match(u):
                return None
        for c in self.children:
            r = c.check(ev)
            if r is not None:
                return r
        if self.noalert:
            return None
        return self


def insert_sorted(lst, rule):
    for i, r in enumerate(lst):
        if rule.sort_level > r.sort_level:
            lst.insert(i, rule)
            return
    lst.append(rule)


class Rules:
    def __init__(self):
        self.top = []
        self.by_id = {}

    def add(self, rule):
        if rule.id in self.by_id:
            raise CheckError("%s: duplicate rule id" % rule.where)
        self.by_id[rule.id] = rule
        if rule.id < 10:
            insert_sorted(self.top, rule)
            return
        if rule.if_sid:
            for sid in rule.if_sid:
                parent = self.by_id.get(sid)
                if parent is None:
                    raise CheckError("%s: if_sid %d not found"
                                     % (rule.where, sid))
                insert_sorted(parent.children, rule)
            return
        for t in self.top:
            if t.category == rule.category:
                insert_sorted(t.children, rule)
                return
        raise CheckError("%s: no rule for category %s"
                         % (rule.where, rule.category))

    def evaluate(self, ev):
        """The rule OSSEC settles on (None when none matches)."""
        etype = ev.decoder.type if ev.decoder is not None else "syslog"
        for t in self.top:
            if t.category != etype:
                continue
            r = t.check(ev)
            if r is not None:
                return r
        return None


# ---------------------------------------------------------------------
# Loading the files the way OSSEC reads them.

def wrap(text):
    # OSSEC rule and decoder files have no single root element.
    return "<ossec_file>" + text + "</ossec_file>"


def parse_file_text(text, where):
    try:
        return ET.fromstring(wrap(text))
    except ET.ParseError as e:
        raise CheckError("%s: not well-formed: %s" % (where, e))


def load(decoder_files, rule_files, wazuh):
    decs = Decoders()
    sources = [(STOCK_DECODERS_WAZUH if wazuh else STOCK_DECODERS,
                "stock decoders")]
    for f in decoder_files:
        with open(f, encoding="utf-8") as fp:
            sources.append((fp.read(), f))
    for text, where in sources:
        root = parse_file_text(text, where)
        for node in root:
            if node.tag != "decoder":
                raise CheckError("%s: <%s> at the top" % (where, node.tag))
            decs.add(Decoder(node, where))
    decs.finish()
    names = decs.names()
    rules = Rules()
    stock = STOCK_RULES % (STOCK_530_WAZUH if wazuh else STOCK_530)
    sources = [(stock, "stock rules")]
    for f in rule_files:
        with open(f, encoding="utf-8") as fp:
            sources.append((with_sitekey(fp.read()), f))
    for text, where in sources:
        root = parse_file_text(text, where)
        for g in root:
            if g.tag != "group" or not g.get("name"):
                raise CheckError("%s: top element must be <group name=...>"
                                 % where)
            for node in g:
                if node.tag != "rule":
                    raise CheckError("%s: <%s> in a group" % (where, node.tag))
                rules.add(Rule(node, g.get("name"), where, names, wazuh))
    return decs, rules


def analyse(decs, rules, line, wazuh, location=DEFAULT_LOCATION):
    ev = predecode(line, keep_controls=wazuh, location=location)
    decs.decode(ev)
    return ev, rules.evaluate(ev)


# ---------------------------------------------------------------------
# Case files.

def unescape(s):
    out, i = "", 0
    while i < len(s):
        if s[i] == "\\" and i + 1 < len(s):
            out += {"n": "\n", "t": "\t", "r": "\r", "\\": "\\"}.get(
                s[i + 1], "\\" + s[i + 1])
            i += 2
        else:
            out += s[i]
            i += 1
    return out


def read_cases(path):
    with open(path, encoding="utf-8") as fp:
        lines = fp.read().split("\n")
    blocky = any(l.startswith(("event:", "event_escaped:")) for l in lines)
    cases = []
    if not blocky:
        for n, l in enumerate(lines, 1):
            if not l.strip() or l.lstrip().startswith("#"):
                continue
            if "\t" not in l:
                raise CheckError("%s:%d: want RULE<TAB>EVENT" % (path, n))
            rule, event = l.split("\t", 1)
            cases.append(({"event": event, "rule": rule.strip()},
                          "%s:%d" % (path, n)))
        return cases
    cur, start = {}, 0
    for n, l in enumerate(lines + [""], 1):
        if l.startswith("#"):
            continue
        if not l.strip():
            if cur:
                cases.append((cur, "%s:%d" % (path, start)))
            cur = {}
            continue
        if ": " not in l and not l.endswith(":"):
            raise CheckError("%s:%d: want 'key: value'" % (path, n))
        key, _, value = l.partition(": ")
        key = key.rstrip(":")
        if not cur:
            start = n
        if key == "event_escaped":
            key, value = "event", unescape(value)
        if key in cur:
            raise CheckError("%s:%d: %s given twice" % (path, n, key))
        cur[key] = value
    return cases


def describe(ev, rule):
    out = []
    out.append("program_name: %s" % ev.program_name)
    out.append("location: %s" % ev.location)
    out.append("hostname: %s" % ev.hostname)
    out.append("log: %s" % ev.log)
    out.append("decoder: %s" % (ev.decoder.id_name if ev.decoder else None))
    for k, v in sorted(ev.static.items()):
        out.append("%s: %s" % (k, v))
    for k, v in ev.fields.items():
        out.append("field.%s: %s" % (k, v))
    if rule is None:
        out.append("rule: none")
    else:
        out.append("rule: %d" % rule.id)
        out.append("level: %d" % rule.level)
        out.append("description: %s" % rule.description)
    return "\n".join(out)


def run_case(decs, rules, case, where, wazuh, location=DEFAULT_LOCATION):
    if "event" not in case:
        return ["%s: no event" % where]
    ev, rule = analyse(decs, rules, case["event"], wazuh,
                       case.get("location", location))
    got = {
        "rule": "none" if rule is None else str(rule.id),
        "level": None if rule is None else str(rule.level),
        "decoder": ev.decoder.id_name if ev.decoder else "none",
        "program_name": ev.program_name or "none",
        "hostname": ev.hostname or "none",
        # The alert's "User:" line (alerts.log prints dstuser only).
        "user": ev.static.get("dstuser") or "none",
    }
    errors = []
    for key, want in case.items():
        if key in ("event", "location"):
            continue
        if key.startswith("field."):
            have = ev.field(key[6:])
            have = "none" if have is None else have
        elif key in got:
            have = got[key]
        else:
            errors.append("%s: unknown key %s" % (where, key))
            continue
        if have != want:
            errors.append("%s: %s: want %r, got %r\n  event: %s"
                          % (where, key, want, have, case["event"]))
    return errors


# ---------------------------------------------------------------------
# Events from dbsyscheck output, the way logcollector builds them.

def make_events(shape, alias, data):
    out = []
    if shape == "command":
        head = "ossec: output: '%s': " % alias
        room = OS_MAXSTR - OS_LOG_HEADER - 256 - 1
        for line in data.split("\n"):
            # fgets() hands over at most "room" bytes at a time.
            while line:
                piece, line = line[:room], line[room:]
                if piece:
                    out.append(head + piece)
    elif shape == "full_command":
        head = "ossec: output: '%s':\n" % alias
        body = data[:OS_MAXSTR - OS_LOG_HEADER - 256]
        if not body:
            return out
        s = head + body
        s = s[:s.rfind("\n")]
        s = s.replace("\r", "")
        while "\n\n" in s:
            s = s.replace("\n\n", "\n")
        out.append(s.replace("\n", ""))
    elif shape == "log":
        out = [l for l in data.split("\n") if l]
    else:
        raise CheckError("unknown shape %s" % shape)
    return out


def xmllint(paths):
    bad = 0
    for p in paths:
        with open(p, encoding="utf-8") as fp:
            text = fp.read()
        with tempfile.NamedTemporaryFile("w", suffix=".xml",
                                         delete=False) as t:
            t.write(wrap(text))
            tmp = t.name
        try:
            r = subprocess.run(["xmllint", "--noout", tmp],
                               capture_output=True, text=True)
        except FileNotFoundError:
            os.unlink(tmp)
            print("check_rules: xmllint not found (libxml2-utils)",
                  file=sys.stderr)
            return 1
        os.unlink(tmp)
        if r.returncode != 0:
            print("%s: xmllint: %s" % (p, r.stderr.strip()), file=sys.stderr)
            bad += 1
        if "--" in "".join(re.findall(r"<!--(.*?)-->", text, re.S)):
            print("%s: '--' inside a comment" % p, file=sys.stderr)
            bad += 1
    return 1 if bad else 0


def main(argv):
    args = argv[1:]
    wazuh = False
    decoders = rules = None
    alias = TEST_ALIAS
    if args[:1] == ["--xmllint"]:
        return xmllint(args[1:])
    if args[:1] == ["--events"]:
        if len(args) < 2:
            print(__doc__, file=sys.stderr)
            return 2
        shape = args[1]
        if args[2:4] and args[2] == "--alias":
            alias = args[3]
        data = sys.stdin.read()
        for e in make_events(shape, alias, data):
            print(e)
        return 0
    show = None
    location = DEFAULT_LOCATION
    cases = []
    while args:
        a = args.pop(0)
        if a == "--wazuh":
            wazuh = True
        elif a == "--decoders":
            decoders = args.pop(0)
        elif a == "--rules":
            rules = args.pop(0)
        elif a == "--show":
            show = args.pop(0)
        elif a == "--location":
            location = args.pop(0)
        elif a in ("-h", "--help"):
            print(__doc__)
            return 0
        else:
            cases.append(a)
    sub = "ossec/wazuh" if wazuh else "ossec"
    decoders = decoders or os.path.join(TOP, sub, "local_decoder.xml")
    rules = rules or os.path.join(TOP, sub, "local_rules.xml")
    try:
        decs, rl = load([decoders], [rules], wazuh)
        if show is not None:
            ev, rule = analyse(decs, rl, show, wazuh, location)
            print(describe(ev, rule))
            return 0
        errors, total = [], 0
        for path in cases:
            for case, where in read_cases(path):
                total += 1
                errors += run_case(decs, rl, case, where, wazuh, location)
    except CheckError as e:
        print("check_rules: %s" % e, file=sys.stderr)
        return 1
    for e in errors:
        print("FAIL %s" % e, file=sys.stderr)
    print("check_rules: %d case(s), %d failure(s)%s"
          % (total, len(errors), " (wazuh)" if wazuh else ""))
    return 1 if errors or total == 0 else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
