using Nabla.Data;

namespace Nabla.Tests.Data;

public class HeldOutTests
{
    private static Dataset<float> Iris() => new DatasetCatalog().Load<float>("iris");

    [Fact]
    public void ItSplitsTheTestPartFirstWithASaltedSeedThenTheValidationPart()
    {
        var iris = Iris();
        var held = HeldOut.Of(iris, 7, validationFraction: 0.25, testFraction: 0.2);
        var (rest, test) = Split.TrainValidation(iris, 0.2, 7 ^ HeldOut.TestSalt, stratified: true);
        var (train, validation) = Split.TrainValidation(rest, 0.25, 7, stratified: true);

        var (heldTrain, heldValidation, heldTest) = held.Apply(iris);

        Assert.Equal(test.Features.Span.ToArray(), heldTest!.Features.Span.ToArray());
        Assert.Equal(validation.Labels, heldValidation!.Labels);
        Assert.Equal(train.Features.Span.ToArray(), heldTrain.Features.Span.ToArray());
        Assert.Null(HeldOut.Of(iris, 7, 0.25, null).Apply(iris).Test);
    }

    [Fact]
    public void ItKnowsItsDataAgainAndNoOther()
    {
        var iris = Iris();
        var held = HeldOut.Of(iris, 0, null, 0.2);
        var changed = iris.WithFeatures(iris.Features.Clone());
        changed.Features[149, 3] += 0.1f;
        var relabelled = iris.WithClasses([.. iris.Labels!.Select(l => (l + 1) % 3)], iris.ClassNames!);

        Assert.True(held.Matches(Iris()));
        Assert.Equal(64, held.Sha256.Length);
        Assert.Equal(150, held.Rows);
        Assert.False(held.Matches(changed));
        Assert.False(held.Matches(relabelled));
        Assert.False(held.Matches(iris.Subset([.. Enumerable.Range(0, 149)])));
    }

    [Fact]
    public void ImpossibleValuesAreRefused()
    {
        var ok = HeldOut.Of(Iris(), 0, 0.1, null);
        ok.Validate();
        Assert.Throws<ArgumentException>(() => (ok with { ValidationFraction = 1.5 }).Validate());
        Assert.Throws<ArgumentException>(() => (ok with { Sha256 = "abc" }).Validate());
        Assert.Throws<ArgumentException>(() => (ok with { Rows = 0 }).Validate());
    }
}
