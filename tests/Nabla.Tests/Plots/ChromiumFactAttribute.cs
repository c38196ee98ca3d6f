namespace Nabla.Tests.Plots;

/// <summary>
/// A fact that needs headless Chromium. Without Chromium it is skipped on a developer machine, but
/// runs (and fails with a clear message) when the CI environment variable is set, so CI can never
/// pass by silently skipping the rendering check.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (Chromium.Find() is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = "chromium is not installed (apt-get install -y chromium); set CI=1 to make this a failure.";
    }
}
