using System.Text.Json;
using Nabla.Playground.Engine;
using Nabla.Tensors;

namespace Nabla.Playground.Views;

/// <summary>
/// Writes what the page draws as compact JSON for server-sent events: once per run the data (points,
/// classes, the network's shape) and, at most 20 times a second, a frame (iteration, losses, the decision
/// boundary, every hidden unit's heatmap, the weights, health warnings). Images travel as base64 bytes,
/// one byte per cell, so a frame of an 8-8 network is about 40 kB.
/// </summary>
internal static class FrameWriter
{
    /// <summary>The data event of a run: what stays fixed while it trains.</summary>
    public static string Data(int run, string settings, EngineRun engine, PlaneView plane)
    {
        return JsonWriting.Object(w =>
        {
            w.WriteNumber("run", run);
            w.WriteString("settings", settings);
            w.WriteString("name", engine.Data.Name);
            w.Strings("classes", engine.Data.Train.ClassNames!);
            w.Strings("colors", engine.ClassColors);
            w.Strings("features", plane.FeatureNames);
            w.WriteString("xLabel", plane.XLabel);
            w.WriteString("yLabel", plane.YLabel);
            w.WriteString("note", plane.Note);
            w.Numbers("extent", plane.Extent);
            Points(w, "train", plane.TrainPoints);
            Points(w, "test", plane.TestPoints);
            w.WriteNumber("trainCount", engine.Data.Train.Count);
            w.WriteNumber("testCount", engine.Data.Test.Count);
            w.WriteNumber("batchesPerEpoch", engine.BatchesPerEpoch);
            w.WriteNumber("maxEpochs", engine.MaxEpochs);
            w.WriteNumber("boundaryCells", PlaneView.BoundaryCells);
            w.WriteNumber("neuronCells", PlaneView.NeuronCells);
            w.WriteStartArray("units");
            foreach (var (weight, _) in engine.Weights())
                w.WriteNumberValue(weight.Rows);
            w.WriteEndArray();
            w.WriteStartArray("inputs");
            foreach (var cells in plane.InputFeatureCells())
            {
                float lo = cells.Min(), hi = cells.Max();
                Heatmap(w, cells, lo, hi == lo ? lo + 1 : hi);
            }
            w.WriteEndArray();
        });
    }

    /// <summary>A frame: the current weights seen every way the page draws them.</summary>
    public static string Frame(FrameState state, EngineRun engine, PlaneView plane)
    {
        var train = engine.Evaluate(engine.Data.Train);
        var test = engine.Evaluate(engine.Data.Test);
        return JsonWriting.Object(w =>
        {
            w.WriteNumber("run", state.Run);
            w.WriteString("status", state.Status);
            w.WriteString("message", state.Message);
            w.WriteNumber("iteration", state.Iteration);
            w.WriteNumber("epoch", state.Epoch);
            w.WriteNumber("batch", state.Batch);
            w.WriteNumber("exportEpoch", engine.ExportEpoch);
            w.WriteNumber("stepsPerSecond", Math.Round(state.StepsPerSecond));
            w.Number("trainLoss", train.Loss);
            w.Number("testLoss", test.Loss);
            w.Number("trainAccuracy", train.Accuracy ?? double.NaN);
            w.Number("testAccuracy", test.Accuracy ?? double.NaN);
            w.WriteString("boundary", Boundary(engine.Outputs(plane.BoundaryInputs)));
            Neurons(w, engine, plane);
            Focus(w, state.Focus, engine, plane);
            Weights(w, engine);
            w.WriteStartObject("health");
            w.Strings("warnings", state.Warnings);
            w.WriteNumber("checks", state.Checks);
            w.WriteEndObject();
        });
    }

    /// <summary>A frame with no model: the session lost its run and says why.</summary>
    public static string Failure(int run, string message) => JsonWriting.Object(w =>
    {
        w.WriteNumber("run", run);
        w.WriteString("status", "error");
        w.WriteString("message", message);
    });

    /// <summary>Per grid cell two bytes: the predicted class, and how sure (0 at a uniform softmax, 255 at certainty).</summary>
    private static string Boundary(Matrix<float> outputs)
    {
        int k = outputs.Cols;
        var bytes = new byte[2 * outputs.Rows];
        for (int r = 0; r < outputs.Rows; r++)
        {
            var row = outputs.Row(r);
            int best = 0;
            for (int c = 1; c < k; c++)
                if (row[c] > row[best])
                    best = c;
            double sum = 0;
            for (int c = 0; c < k; c++)
                sum += Math.Exp(row[c] - row[best]);
            double p = 1 / sum, sure = k == 1 ? 1 : (p - 1.0 / k) / (1 - 1.0 / k);
            bytes[2 * r] = (byte)best;
            bytes[2 * r + 1] = double.IsFinite(sure) ? (byte)Math.Round(255 * Math.Clamp(sure, 0, 1)) : (byte)0;
        }
        return Convert.ToBase64String(bytes);
    }

    private static void Neurons(Utf8JsonWriter w, EngineRun engine, PlaneView plane)
    {
        w.WriteStartArray("neurons");
        if (engine.Activations.Count > 0)
        {
            var outputs = engine.AllOutputs(plane.NeuronInputs);
            foreach (var (index, kind) in engine.Activations)
            {
                var layer = outputs[index];
                w.WriteStartArray();
                for (int unit = 0; unit < layer.Cols; unit++)
                    UnitHeatmap(w, layer, unit, kind);
                w.WriteEndArray();
            }
        }
        w.WriteEndArray();
    }

    private static void Focus(Utf8JsonWriter w, (int Layer, int Unit)? focus, EngineRun engine, PlaneView plane)
    {
        if (focus is not { } f || f.Layer >= engine.Activations.Count)
        {
            w.WriteNull("focus");
            return;
        }
        var (index, kind) = engine.Activations[f.Layer];
        var output = engine.LayerOutput(plane.BoundaryInputs, index);
        if (f.Unit >= output.Cols)
        {
            w.WriteNull("focus");
            return;
        }
        w.WritePropertyName("focus");
        UnitHeatmap(w, output, f.Unit, kind, (f.Layer, f.Unit));
    }

    /// <summary>One unit's outputs over the grid: tanh over [−1, 1], sigmoid over [0, 1], ReLU kinds over ±(their largest magnitude).</summary>
    private static void UnitHeatmap(Utf8JsonWriter w, Matrix<float> layer, int unit, string kind, (int Layer, int Unit)? which = null)
    {
        var cells = new float[layer.Rows];
        for (int r = 0; r < layer.Rows; r++)
            cells[r] = layer[r, unit];
        (float lo, float hi) = kind switch
        {
            "Tanh" => (-1f, 1f),
            "Sigmoid" => (0f, 1f),
            _ => Symmetric(cells),
        };
        Heatmap(w, cells, lo, hi, which);
    }

    private static (float, float) Symmetric(float[] cells)
    {
        float m = 1e-6f;
        foreach (float v in cells)
            if (float.IsFinite(v))
                m = Math.Max(m, Math.Abs(v));
        return (-m, m);
    }

    private static void Heatmap(Utf8JsonWriter w, float[] cells, float lo, float hi, (int Layer, int Unit)? which = null)
    {
        var bytes = new byte[cells.Length];
        for (int i = 0; i < cells.Length; i++)
        {
            double t = (cells[i] - lo) / (double)(hi - lo);
            bytes[i] = double.IsFinite(t) ? (byte)Math.Round(255 * Math.Clamp(t, 0, 1)) : (byte)128;
        }
        w.WriteStartObject();
        if (which is { } u)
        {
            w.WriteNumber("layer", u.Layer);
            w.WriteNumber("unit", u.Unit);
        }
        w.Number("lo", lo);
        w.Number("hi", hi);
        w.WriteString("cells", Convert.ToBase64String(bytes));
        w.WriteEndObject();
    }

    private static void Weights(Utf8JsonWriter w, EngineRun engine)
    {
        w.WriteStartArray("weights");
        foreach (var (weight, bias) in engine.Weights())
        {
            w.WriteStartObject();
            w.Floats("w", weight.Span);
            w.Floats("b", bias.Span);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static void Points(Utf8JsonWriter w, string name, (float[] Points, int[] Labels) points)
    {
        w.WriteStartObject(name);
        w.Floats("points", points.Points);
        w.WriteStartArray("labels");
        foreach (int label in points.Labels)
            w.WriteNumberValue(label);
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
