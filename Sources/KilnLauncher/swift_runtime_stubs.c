/* swift_runtime_stubs.c — SwiftPM links every executable with the Swift driver, which adds
 * swiftrt.o: a constructor that registers the image's Swift metadata sections with the Swift
 * runtime. The launcher is plain C and has none, and must not load the Swift runtime (the point
 * of it is to start fast), so these stand in for the two runtime functions swiftrt.o calls, and
 * the target links the Swift standard library statically: nothing of it is then pulled in. */
void swift_addNewDSOImage(const void *image);
int _swift_backtrace_isThunkFunction(const char *name);

void swift_addNewDSOImage(const void *image) { (void)image; }
int _swift_backtrace_isThunkFunction(const char *name)
{
    (void)name;
    return 0;
}
