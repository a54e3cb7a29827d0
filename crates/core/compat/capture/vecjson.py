"""Shared JSON writer for the capture scripts: one config object per block,
one server / case / ring entry per line (diff-friendly), preset/name/source
first.  Output is plain JSON (a top-level array of config objects)."""

import json

FIRST = ("preset", "name", "flavour", "source", "note")


def _val(v):
    return json.dumps(v, ensure_ascii=False)


def dump(path, configs):
    out = ["["]
    for ci, cfg in enumerate(configs):
        keys = [k for k in FIRST if k in cfg] + [k for k in cfg if k not in FIRST]
        out.append(" {")
        for ki, k in enumerate(keys):
            v = cfg[k]
            end = "," if ki < len(keys) - 1 else ""
            if isinstance(v, list) and v and isinstance(v[0], (dict, list)):
                out.append("  %s: [" % _val(k))
                for i, item in enumerate(v):
                    out.append("   %s%s" % (_val(item), "," if i < len(v) - 1 else ""))
                out.append("  ]%s" % end)
            else:
                out.append("  %s: %s%s" % (_val(k), _val(v), end))
        out.append(" }%s" % ("," if ci < len(configs) - 1 else ""))
    out.append("]")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")
