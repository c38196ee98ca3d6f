using System.Text.Json;

namespace Nabla.Cli.Tests;

public class TraceTests
{
    [Fact]
    public void TheWorkedExamplePrintsSeed003sQuantitiesInTheOrderOfTheHandCalculation()
    {
        var run = Runner.Run("trace", "--example", "worked-example");

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] inOrder =
        [
            "a0 (input) = [1, 2]",
            "z1 = 0.weight · a0 + 0.bias = [0.09, 0.08, 0.07]",
            "a1 = Sigmoid(z1) = [0.5224848248, 0.5199893402, 0.5174928577]",
            "z2 = 2.weight · a1 + 2.bias = [0.05674909101]",
            "L = mse(z2, y = [8]) = 63.095235",
            "dL/dz2 = [-15.88650182]",
            "dL/d2.weight = [[-8.300456119, -8.260811598, -8.221151224]]",
            "dL/d2.bias = [-15.88650182]",
            "dL/dz1 = [-0.07927187516, -0.1189583288, -0.1586705674]",
            "dL/d0.weight = [[-0.07927187516, -0.1585437503], [-0.1189583288, -0.2379166576], [-0.1586705674, -0.3173411347]]",
            "2.bias = [1.598650182]",
        ];
        int position = 0;
        foreach (var text in inOrder)
        {
            int found = run.Out.IndexOf(text, position, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{text}' not found after position {position} in:\n{run.Out}");
            position = found + text.Length;
        }
    }

    [Fact]
    public void TheWorkedExampleAsJsonHoldsInputOutputsLossAndGradientsInTheModelFileLayout()
    {
        var run = Runner.Run("trace", "--example", "worked-example", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var doc = JsonDocument.Parse(run.Out);
        var root = doc.RootElement;
        Assert.Equal([1.0, 2.0], root.GetProperty("input").EnumerateArray().Select(v => v.GetDouble()));
        Assert.Equal(63.09523500321559, root.GetProperty("loss").GetDouble(), 10);
        var outputs = root.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("output").EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
        Assert.Equal(0.05674909100715905, outputs[2][0], 14);
        var g = root.GetProperty("gradients");
        Assert.Equal(3, g.GetProperty("0.weight").GetArrayLength());
        Assert.Equal(-0.15854375031745524, g.GetProperty("0.weight")[0][1].GetDouble(), 14);
        Assert.Equal(-0.11895832877608548, g.GetProperty("0.bias")[1].GetDouble(), 14);
        Assert.Equal(1, g.GetProperty("2.weight").GetArrayLength());
        Assert.Equal(-8.221151224111706, g.GetProperty("2.weight")[0][2].GetDouble(), 13);
        Assert.Equal(-15.886501817985682, g.GetProperty("2.bias")[0].GetDouble(), 13);
        Assert.Equal(0.01 + 0.1 * 15.886501817985682, root.GetProperty("updated").GetProperty("2.bias")[0].GetDouble(), 13);
    }

    [Fact]
    public void TheLearningRateOfTheStepCanBeChosen()
    {
        var run = Runner.Run("trace", "--example", "worked-example", "--learning-rate", "1", "--json");

        using var doc = JsonDocument.Parse(run.Out);
        Assert.Equal(0.01 + 15.886501817985682, doc.RootElement.GetProperty("updated").GetProperty("2.bias")[0].GetDouble(), 12);
    }
}
