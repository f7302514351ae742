// Consoles started side by side in one test process share the lab's hosted estate (one per TimeProvider, and every
// in-process console uses TimeProvider.System), whose model is not thread-safe across consoles: run the classes one
// after the other. A console in production has one registry, so this is a test-process concern only.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
