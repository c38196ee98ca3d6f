using Nabla.Playground.Views;

namespace Nabla.Playground.Tests.Views;

public sealed class ProjectionTests
{
    [Fact]
    public void Points_near_a_plane_in_four_dimensions_project_onto_it_and_back()
    {
        // Rows a·u + b·v + m with u, v orthonormal, plus a little noise in a third direction.
        double[] u = [0.5, 0.5, 0.5, 0.5], v = [0.5, -0.5, 0.5, -0.5], w = [0.5, 0.5, -0.5, -0.5], m = [1, 2, 3, 4];
        var rng = new Rng(5);
        int n = 400;
        var rows = new float[n * 4];
        for (int i = 0; i < n; i++)
        {
            double a = rng.NextGaussian(0, 3), b = rng.NextGaussian(0, 1), c = rng.NextGaussian(0, 0.05);
            for (int j = 0; j < 4; j++)
                rows[i * 4 + j] = (float)(m[j] + a * u[j] + b * v[j] + c * w[j]);
        }
        var p = Projection.Fit(rows, n, 4);
        Assert.True(p.Explained > 0.999, $"explained {p.Explained}");
        for (int j = 0; j < 4; j++)
        {
            Assert.Equal(Math.Abs(u[j]), Math.Abs(p.First[j]), 2);
            Assert.Equal(Math.Abs(v[j]), Math.Abs(p.Second[j]), 2);
        }
        Assert.Equal(0, p.First.Zip(p.Second, (x, y) => x * y).Sum(), 6);

        var (pu, pv) = p.Project(rows.AsSpan(0, 4));
        var back = new float[4];
        p.Unproject(pu, pv, back);
        for (int j = 0; j < 4; j++)
            Assert.Equal(rows[j], back[j], 0.3f);
    }

    [Fact]
    public void The_same_data_gives_the_same_directions_with_the_largest_entry_positive()
    {
        var rows = new float[] { 1, 0, 0, 2, 0, 0, 3, 1, 0, -1, 0, 1, 5, 2, 2 };
        var a = Projection.Fit(rows, 5, 3);
        var b = Projection.Fit(rows, 5, 3);
        Assert.Equal(a.First, b.First);
        Assert.True(a.First.MaxBy(Math.Abs) > 0);
    }
}
