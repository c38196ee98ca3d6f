using Nabla.Data;
using Nabla.Diagnostics;
using Nabla.Tensors;
using Nabla.Training;
using Nabla.Training.Callbacks;

namespace Nabla.Cli;

/// <summary>The training-health summary at the end of <c>nabla train</c>: printed, and written to <c>DIR/health.json</c>.</summary>
internal static class HealthSummary
{
    /// <summary>The file name in the output directory.</summary>
    public const string FileName = "health.json";

    /// <summary>Samples in the probe batch: the first ones of the training data.</summary>
    public const int ProbeSamples = 1000;

    /// <summary>Measures the trained model on the first <see cref="ProbeSamples"/> training samples.</summary>
    public static TrainingHealth Measure(Trainer<float> trainer, Dataset<float> train, WeightUpdates<float> updates)
    {
        int rows = Math.Min(ProbeSamples, train.Count);
        var x = new Matrix<float>(rows, train.FeatureCount, train.Features.Span[..(rows * train.FeatureCount)].ToArray());
        var y = new Matrix<float>(rows, train.TargetCount, train.Targets.Span[..(rows * train.TargetCount)].ToArray());
        return TrainingHealth.Measure(trainer.Model, trainer.Loss, x, y, updates.WeightsBeforeLastStep);
    }

    /// <summary>Prints the summary and its warnings.</summary>
    public static void Print(CliContext context, TrainingHealth health)
    {
        context.Out.WriteLine("Training health (probe batch of the first training samples):");
        context.Out.WriteLine(health.ToString());
        if (health.Warnings.Count == 0)
            context.Out.WriteLine("All health checks are in range.");
    }
}
