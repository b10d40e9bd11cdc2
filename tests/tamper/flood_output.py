import sys

for _ in range(10**6):
    print("x" * 1000)
    sys.stderr.write("y" * 1000)
