_hog = []
while True:
    _hog.append(bytearray(100 * 1024 * 1024))
