"""nbgrader configuration of the course (read by every nbgrader command run here)."""

c = get_config()  # noqa: F821  (injected by traitlets)

c.CourseDirectory.course_id = "bayes-sampling"
# Instructor notebooks (with solutions and hidden tests) and the generated student versions.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"

# Per-cell limit that counts at autograde (wins over ExecutePreprocessor.timeout).
c.Execute.timeout = 120
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
