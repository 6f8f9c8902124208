"""The public API of a Python package at a git ref against the work tree's.

Run by `cargo xtask` with the venv's python: `python - MODULE SEARCH REF REPO`.
Prints one `breaking\tTEXT` or `addition\tTEXT` line per finding, then `done`;
a crash before `done` is the checker failing, never a pass. Static only (no
import): a PyO3 binding is read from its `.pyi` stubs, which stubtest checks
against the built module.
"""

import sys

import griffe


def public(obj, prefix, out, depth=0):
    """Every public name under obj, with its kind, following re-exports."""
    if depth > 8:
        return
    for name, member in obj.members.items():
        try:
            if not member.is_public:
                continue
            target = member.final_target if member.is_alias else member
        except Exception:  # an alias to nothing: griffe reports its removal
            continue
        path = f"{prefix}.{name}"
        out[path] = target.kind.value
        if target.is_class or (target.is_module and not member.is_alias):
            public(target, path, out, depth + 1)


def describe(breakage):
    what = breakage.kind.value
    what = what[0].lower() + what[1:]
    detail = None
    if breakage.kind.name.startswith("PARAMETER"):
        value = breakage.old_value or breakage.new_value
        detail = getattr(value, "name", None)
    return f"{breakage.obj.path}: {what}" + (f" ({detail})" if detail else "")


def main():
    module, search, ref, repo = sys.argv[1:5]
    options = {
        "search_paths": [search],
        "allow_inspection": False,
        "resolve_aliases": True,
        "resolve_implicit": True,
    }
    old = griffe.load_git(module, ref=ref, repo=repo, **options)
    new = griffe.load(module, try_relative_path=False, **options)
    for breakage in griffe.find_breaking_changes(old, new):
        print(f"breaking\t{describe(breakage)}")
    before, after = {}, {}
    public(old, module, before)
    public(new, module, after)
    for path, kind in sorted(after.items()):
        if path not in before:
            print(f"addition\t{path}: {kind} added")
    print("done")


main()
