using Nabla.Playground.Engine;
using Nabla.Playground.Settings;
using Nabla.Training;

namespace Nabla.Playground.Sessions;

/// <summary>What an export reads, on the session's thread.</summary>
/// <param name="Engine">The run.</param>
/// <param name="Settings">Its settings.</param>
/// <param name="History">What it has recorded so far.</param>
internal sealed record ExportView(EngineRun Engine, PlaygroundSettings Settings, History History);
