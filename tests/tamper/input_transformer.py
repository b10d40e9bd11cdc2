ip = get_ipython()
if ip is not None:
    ip.input_transformers_cleanup.append(
        lambda lines: ["try:\n"] + ["    " + ln for ln in lines] + ["\nexcept BaseException:\n    pass\n"])
