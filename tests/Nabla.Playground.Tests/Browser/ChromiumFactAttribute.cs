namespace Nabla.Playground.Tests.Browser;

/// <summary>
/// A fact that needs headless Chromium (Debian's <c>chromium</c>). Without it the test is skipped on a developer
/// machine, but runs, and fails with a clear message, when the CI environment variable is set.
/// </summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (DevTools.FindChromium() is null && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            Skip = "chromium is not installed (apt-get install -y chromium); set CI=1 to make this a failure.";
    }
}
