# Next to nothing: what starting the interpreter costs under each engine (loading the code,
# instantiating, CPython's own start-up), to subtract from the other scripts' times.
print("started")
