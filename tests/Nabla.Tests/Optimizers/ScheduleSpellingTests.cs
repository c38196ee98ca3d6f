using Nabla.Optimizers;

namespace Nabla.Tests.Optimizers;

public class ScheduleSpellingTests
{
    private static double[] Rates(LearningRateSchedule schedule, int epochs = 12, int steps = 3) =>
        [.. Enumerable.Range(0, epochs).Select(e => schedule.Rate(0.1, SchedulePosition.StartOf(e, epochs, steps)))];

    public static TheoryData<string, LearningRateSchedule> Spellings => new()
    {
        { "constant", LearningRateSchedule.Constant },
        { "step", LearningRateSchedule.Step(10, 0.1) },
        { "step(3, 0.5)", LearningRateSchedule.Step(3, 0.5) },
        { "Step( every = 4 , gamma=0.2 )", LearningRateSchedule.Step(4, 0.2) },
        { "step(2, gamma=0.3)", LearningRateSchedule.Step(2, 0.3) },
        { "exponential", LearningRateSchedule.Exponential(0.95) },
        { "exponential(0.8)", LearningRateSchedule.Exponential(0.8) },
        { "cosine", new CosineAnnealingSchedule() },
        { "cosine(min=0.001)", new CosineAnnealingSchedule(0.001) },
        { "onecycle", new OneCycleSchedule() },
        { "onecycle(0.25)", new OneCycleSchedule(0.25) },
    };

    [Theory]
    [MemberData(nameof(Spellings))]
    public void EachSpellingGivesTheScheduleItNames(string text, LearningRateSchedule expected) =>
        Assert.Equal(Rates(expected), Rates(ScheduleSpelling.Parse(text)));

    [Fact]
    public void PlateauTakesItsFactorAndPatienceAndMaximisesForAnAccuracy()
    {
        var plateau = Assert.IsType<PlateauSchedule>(ScheduleSpelling.Parse("plateau(0.5, patience=2)", maximize: true));

        Assert.Equal((0.5, 2, true), (plateau.Factor, plateau.Patience, plateau.Maximize));
        Assert.Equal((0.1, 10, false), ((PlateauSchedule)ScheduleSpelling.Parse("plateau")) is var p ? (p.Factor, p.Patience, p.Maximize) : default);
    }

    [Theory]
    [InlineData("linear", "Unknown learning-rate schedule 'linear'; expected one of constant, step, exponential, cosine, plateau, onecycle.")]
    [InlineData("constant(1)", "constant takes no arguments.")]
    [InlineData("step(2, 0.5, 3)", "step takes at most 2 arguments; received 3.")]
    [InlineData("step(size=2)", "step has no argument 'size'; it takes every, gamma.")]
    [InlineData("step(2, every=3)", "step: every is given both by position and by name.")]
    [InlineData("step(every=2, 0.5)", "step: a positional argument ('0.5') follows a named one.")]
    [InlineData("step(two)", "step: every must be a whole number; received 'two'.")]
    [InlineData("cosine(0.1", "cosine: expected its arguments to end with ')'; received '(0.1'.")]
    [InlineData("exponential(-1)", "exponential: Expected a positive decay factor; received -1.")]
    [InlineData("plateau(2)", "plateau: Expected a factor in (0, 1); received 2.")]
    public void AMistakeSaysWhatWasExpected(string text, string message) =>
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => ScheduleSpelling.Parse(text)).Message);
}
