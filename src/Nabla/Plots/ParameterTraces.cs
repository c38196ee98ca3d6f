namespace Nabla.Plots;

/// <summary>
/// Every weight and bias per iteration as small multiples: one small chart per parameter, each
/// with its own y range, in a grid. One chart with a dozen overlaid lines would need a dozen
/// colours and would squash small parameters flat against large ones; separate panels keep each
/// trace readable. With more parameters than <c>maxPanels</c>, evenly spaced ones are shown (so
/// every layer is represented) and the title says how many.
/// </summary>
public static class ParameterTraces
{
    /// <summary>
    /// A grid of charts, one per column of <paramref name="values"/> ([iterations × parameters]),
    /// titled with <paramref name="names"/>; row i is plotted at x = i.
    /// </summary>
    /// <example><code>
    /// ParameterTraces.Create(["W1[0,0]", "W1[0,1]", "b1[0]"], trace, "Weights and biases per iteration")
    ///     .Save("parameters.svg");
    /// </code></example>
    public static Figure Create(IReadOnlyList<string> names, double[,] values, string? title = null,
        string xLabel = "iteration", int maxPanels = 24, int columns = 4)
    {
        int iterations = values.GetLength(0), count = values.GetLength(1);
        if (names.Count != count)
            throw new ArgumentException($"Expected one name per parameter column ({count}); received {names.Count}.", nameof(names));
        if (maxPanels < 1)
            throw new ArgumentException($"Expected a positive maxPanels; received {maxPanels}.", nameof(maxPanels));
        int shown = Math.Min(count, maxPanels);
        var figure = new Figure(Math.Min(columns, Math.Max(1, shown)))
        {
            Title = shown < count ? $"{title ?? "Parameters"} ({shown} of {count:N0}, evenly spaced)" : title,
        };
        for (int k = 0; k < shown; k++)
        {
            int p = shown == count ? k : (int)((long)k * (count - 1) / Math.Max(1, shown - 1));
            var trace = new double[iterations];
            for (int i = 0; i < iterations; i++)
                trace[i] = values[i, p];
            // A panel's plot is about 250 px wide: 600 min/max-thinned points still resolve every pixel column.
            figure.Add(new LineChart { Title = names[p], XLabel = xLabel, Width = 300, Height = 210, MaxPointsPerSeries = 600 }.Add(names[p], trace));
        }
        return figure;
    }
}
