// The browser tests measure how fast the page trains and draws: nothing else of this assembly runs beside them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
