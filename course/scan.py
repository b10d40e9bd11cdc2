"""The suspicious-code scan: reads what a student wrote as Python (``ast``), not as text.

A hit flags the submission for a human look ("tampering suspected"); it never changes a score. The
sandbox and the judge's design are what make attacks fail; the scan tells the instructor that one was
tried. Comments and strings never flag (they are not code); aliases do: ``import os as o; o._exit``,
``from os import _exit as q``, ``getattr(os, "_exit")`` all resolve to ``os._exit``. A cell that
does not parse is flagged for that reason (the judge's runner could not run it either).
"""

import ast
import re

# Dotted names (after resolving aliases) no honest answer needs, by prefix -> reason.
NAMES = {
    "reaches into IPython": ["IPython", "get_ipython", "ipykernel"],
    "patches the import system": ["importlib", "__import__", "sys.modules", "sys.meta_path",
                                  "sys.path_hooks", "sys.path_importer_cache", "sys.path", "imp",
                                  "pkgutil", "runpy", "zipimport"],
    "reaches into the interpreter": ["builtins", "__builtins__", "gc", "ctypes", "cffi", "sys.settrace",
                                     "sys.setprofile", "sys.addaudithook", "marshal", "types.CodeType",
                                     "types.FunctionType", "pickle", "copyreg", "dill", "cloudpickle"],
    "runs generated code": ["eval", "exec", "compile", "code", "codeop"],
    "starts processes": ["subprocess", "os.system", "os.popen", "os.spawn", "os.exec", "os.fork",
                         "os.posix_spawn", "pty", "multiprocessing", "concurrent", "threading",
                         "_thread", "asyncio"],
    "uses files": ["open", "io", "pathlib", "shutil", "glob", "fnmatch", "tempfile", "fileinput",
                   "os.open", "os.walk", "os.listdir", "os.scandir", "os.remove", "os.unlink",
                   "os.rename", "os.replace", "os.chmod", "os.chown", "os.mkdir", "os.makedirs",
                   "os.rmdir", "os.removedirs", "os.symlink", "os.link", "os.truncate", "os.stat",
                   "os.lstat", "os.access", "os.chdir", "os.getcwd", "os.path", "os.fdopen", "os.read",
                   "os.write", "os.environ", "os.getenv", "os.putenv", "mmap", "zipfile", "tarfile",
                   "numpy.load", "numpy.save", "numpy.savez", "numpy.loadtxt", "numpy.savetxt",
                   "numpy.genfromtxt", "numpy.fromfile", "numpy.memmap", "numpy.lib.npyio"],
    "touches grading files": ["sqlite3", "nbgrader", "nbformat", "course", "sqlalchemy", "json.load",
                              "csv"],
    "controls the process": ["signal", "sys.exit", "exit", "quit", "os._exit", "os.kill", "os.killpg",
                             "os.abort", "os.getppid", "os.getpid", "os.setsid", "os.nice", "atexit",
                             "resource", "sys.setrecursionlimit", "faulthandler"],
    "inspects the grader": ["sys._getframe", "inspect", "traceback", "sys.exc_info", "sys.exception",
                            "sys._current_frames", "sys.argv", "sys.orig_argv", "globals", "locals",
                            "vars", "dir"],
    "uses the network": ["socket", "ssl", "urllib", "http", "requests", "httpx", "ftplib", "smtplib",
                         "telnetlib", "xmlrpc", "webbrowser", "select", "selectors"],
}
# Attribute names that only introspection uses, whatever object they are read from.
ATTRIBUTES = {
    "reaches into the interpreter": {"__subclasses__", "__globals__", "__code__", "__closure__",
                                     "__builtins__", "__dict__", "__bases__", "__mro__", "__class__",
                                     "__getattribute__", "__setattr__", "__reduce__", "__reduce_ex__",
                                     "co_code", "__loader__", "__spec__"},
    "inspects the grader": {"f_globals", "f_locals", "f_back", "f_code", "f_builtins", "gi_frame",
                            "cr_frame", "tb_frame", "tb_next", "__traceback__"},
    "reaches into IPython": {"ast_transformers", "input_transformers_cleanup",
                             "input_transformers_post", "events"},
}
# Libraries an answer may call but never modify (an assignment to their attributes is a patch).
PATCHED = {"numpy", "scipy", "helpers", "math", "random", "builtins", "sys", "os", "json"}
NUMBERS = {"float", "int", "complex", "bool", "numpy.ndarray", "numpy.float64", "numpy.float32",
           "numpy.int64", "numpy.generic", "numpy.number", "numpy.random.Generator"}
COMPARISONS = {"__eq__", "__ne__", "__le__", "__lt__", "__ge__", "__gt__", "__abs__", "__float__",
               "__bool__", "__int__", "__index__", "__array__", "__array_ufunc__",
               "__array_function__", "__len__", "__hash__", "__getattr__", "__instancecheck__",
               "__del__"}
# In graded answers only (the ungraded cells are invited to use helpers): the course's own samplers and
# models have the contract's signatures, so an answer that calls them is not the student's work.
DELEGATE = "calls the course's own implementation (helpers) in an answer"
DELEGATE_MODULES = {"mh", "hamiltonian", "integrators", "bootstrap", "linreg", "bnn", "metropolis",
                    "metropolis_hastings", "hmc", "leapfrog"}
# IPython line magics harmless in a notebook (others: %run, %load, %env, %cd, %sx... flag).
HARMLESS_MAGICS = {"matplotlib", "time", "timeit", "config", "load_ext", "autoreload", "precision",
                   "pprint"}
# Builtins that reach files, the interpreter or the process when called by their bare name.
BUILTINS = {"open", "eval", "exec", "compile", "__import__", "exit", "quit", "globals", "locals",
            "vars", "dir", "getattr", "setattr", "delattr", "hasattr", "breakpoint", "input",
            "__builtins__", "memoryview"}
MAGIC = re.compile(r"^(\s*)(%%?|!)(\w*)")


def _reason_of(name):
    """The reason a resolved dotted ``name`` is suspicious, or None."""
    for why, prefixes in NAMES.items():
        for p in prefixes:
            if name == p or name.startswith(p + "."):
                return why
    return None


def strip_magics(src):
    """``(python source, reasons)``: IPython magics and shell escapes turned into ``pass`` (so the
    rest parses); those that run code, files or processes are reasons of their own."""
    out, reasons = [], set()
    for line in src.splitlines():
        m = MAGIC.match(line)
        if not m:
            out.append(line)
            continue
        indent, kind, name = m.groups()
        if kind == "!":
            reasons.add("starts processes")
        elif name not in HARMLESS_MAGICS:
            reasons.add(f"runs the IPython magic {kind}{name}")
        out.append(f"{indent}pass")
    return "\n".join(out), reasons


class Scanner(ast.NodeVisitor):
    """Collects reasons over the cells of one submission (aliases carry from cell to cell)."""

    def __init__(self):
        self.aliases = {}  # local name -> dotted name it stands for
        self.reasons = set()
        self.delegates = False
        self.bound = set()  # names the student binds: never taken for a builtin or a module

    def resolve(self, node, raw=False):
        """The dotted name an expression stands for (``o._exit`` -> ``os._exit``), or None (the
        student's own variable, unless ``raw``)."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if isinstance(node, ast.Call) and self.resolve(node.func) == "__import__" and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            root = node.args[0].value
        elif isinstance(node, ast.Name):
            if not raw and node.id not in self.aliases and (node.id in self.bound or node.id not in BUILTINS
                                                and node.id not in self.modules()):
                return None  # the student's own variable
            root = self.aliases.get(node.id, node.id)
        else:
            return None
        return ".".join([root, *reversed(parts)])

    def flag(self, name):
        if name is None:
            return
        why = _reason_of(name)
        if why:
            self.reasons.add(why)
        head, _, rest = name.partition(".")
        if head == "helpers" and rest.split(".")[0] in DELEGATE_MODULES:
            self.delegates = True

    # imports: record aliases, flag the modules
    def visit_Import(self, node):
        for a in node.names:
            self.aliases[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            self.flag(a.name)

    def visit_ImportFrom(self, node):
        module = "." * node.level + (node.module or "")
        if module.split(".")[0] == "helpers":
            self.delegates = True
        self.flag(module)
        for a in node.names:
            full = f"{module}.{a.name}"
            self.aliases[a.asname or a.name] = full
            self.flag(full)

    # names and attributes, read or written
    def visit_Name(self, node):
        if node.id in self.aliases:
            self.flag(self.aliases[node.id])
        elif isinstance(node.ctx, ast.Load) and node.id in BUILTINS and node.id not in self.bound:
            self.flag(node.id)  # open, eval, exec, __import__, exit, globals...

    def visit_Attribute(self, node):
        for why, attrs in ATTRIBUTES.items():
            if node.attr in attrs:
                self.reasons.add(why)
        name = self.resolve(node)
        self.flag(name)
        if isinstance(node.ctx, (ast.Store, ast.Del)) and name and name.split(".")[0] in PATCHED:
            self.reasons.add("patches a library (numpy, helpers, the standard library)")
        self.generic_visit(node)

    def visit_Call(self, node):
        fn = self.resolve(node.func)
        if fn in ("getattr", "setattr", "delattr", "hasattr") and node.args:
            target = self.resolve(node.args[0])
            if target and target.split(".")[0] in self.modules():
                self.reasons.add("reaches into a module with getattr/setattr")
                if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                    self.flag(f"{target}.{node.args[1].value}")
            if fn != "hasattr" and len(node.args) > 1 and not isinstance(node.args[1], ast.Constant):
                self.reasons.add("reaches into the interpreter")  # a computed attribute name
        self.generic_visit(node)

    def modules(self):
        """Top-level names bound to modules by the imports seen so far."""
        return {v.split(".")[0] for v in self.aliases.values()} | PATCHED

    # definitions that fake numbers or comparisons
    def visit_ClassDef(self, node):
        for base in node.bases:
            if self.resolve(base, raw=True) in NUMBERS:
                self.reasons.add("subclasses a number type")
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name in COMPARISONS:
                self.reasons.add("redefines comparisons")
        self.generic_visit(node)


def _parse(src):
    """``(tree or None, reasons)`` of one cell."""
    py, reasons = strip_magics(src)
    try:
        return ast.parse(py), reasons
    except SyntaxError as exc:
        return None, reasons | {f"a cell is not valid Python (line {exc.lineno}: {exc.msg})"}


def _bound(tree):
    """Names a cell binds itself (variables, arguments, functions): a student's own ``code`` or
    ``select`` is not the module of that name."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            out.add(node.id)
        elif isinstance(node, ast.arg):
            out.add(node.arg)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
    return out


def scan_sources(sources, answers=(), setup=()):
    """Reasons for a human look in ``sources`` (the student's own cells) and ``answers`` (graded
    answer cells, where delegating to helpers' samplers also counts); ``setup``: the instructor's
    cells, read only for the names they import (``np`` is ``numpy``)."""
    scanner = Scanner()
    for src in setup:
        tree, _ = _parse(src)
        for node in ast.walk(tree) if tree else ():
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                Scanner.visit(scanner, node)
    scanner.reasons.clear()
    scanner.delegates = False
    cells = [(_parse(s), False) for s in sources] + [(_parse(s), True) for s in answers]
    scanner.bound = set().union(*(_bound(t) for (t, _), _ in cells if t is not None))
    for (tree, reasons), is_answer in cells:
        scanner.reasons |= reasons
        if tree is None:
            continue
        scanner.delegates = False
        scanner.visit(tree)
        if scanner.delegates and is_answer:
            scanner.reasons.add(DELEGATE)
    return sorted(scanner.reasons)


def scan(submission, answers, known=frozenset()):
    """Suspicious code in what the student wrote: the graded answers and the code cells that are not
    the instructor's own (``known``: their sources); ``[]`` when nothing is. ``course.judge`` calls it."""
    from .notebooks import source

    answer_set = set(answers)
    cells = [source(c) for c in submission.get("cells", []) if c.get("cell_type") == "code"]
    others = [s for s in cells if s not in known and s not in answer_set]
    return scan_sources(others, list(answers), [s for s in cells if s in known])
