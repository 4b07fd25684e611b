// The tests share one packages folder and each starts processes that build or restore: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
