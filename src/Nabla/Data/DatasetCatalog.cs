using System.Numerics;
using Nabla.Text;

namespace Nabla.Data;

/// <summary>
/// Turns a dataset name or path into a <see cref="Dataset{T}"/>: the synthetic generators
/// (<c>gaussians</c>, <c>moons</c>, <c>circles</c>, <c>spiral</c>, <c>xor</c>, <c>xor-table</c>), the
/// embedded <c>iris</c>, installed IDX datasets (<c>fashion-mnist</c>, <c>mnist</c>, or any folder of
/// the four IDX files), a <c>.csv</c> file, or an IDX directory. Names are case-insensitive.
/// </summary>
/// <remarks>
/// An installed dataset called NAME is searched in this order: the explicit data directory (its
/// NAME subfolder, then itself), <c>$NABLA_DATA</c> (likewise), <c>/usr/share/datasets/NAME</c> (where
/// Debian's <c>dataset-fashion-mnist</c> installs), then <c>~/.nabla/datasets/NAME</c> (where
/// downloads go by default).
/// </remarks>
public sealed class DatasetCatalog
{
    /// <summary>The Fashion-MNIST classes, in label order.</summary>
    public static readonly IReadOnlyList<string> FashionMnistClasses =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The names of the synthetic generators.</summary>
    public static readonly IReadOnlyList<string> SyntheticNames = ["gaussians", "moons", "circles", "spiral", "xor", "xor-table"];

    /// <summary>The names of the well-known image datasets that are installed rather than shipped.</summary>
    public static readonly IReadOnlyList<string> ImageNames = ["fashion-mnist", "mnist"];

    private readonly string? _dataDir;
    private readonly string? _nablaData;
    private readonly string? _home;
    private readonly string _systemDir;

    /// <summary>A catalog searching <paramref name="dataDir"/> (if given), <c>$NABLA_DATA</c> and the standard places.</summary>
    public DatasetCatalog(string? dataDir = null)
        : this(dataDir, Environment.GetEnvironmentVariable("NABLA_DATA"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "/usr/share/datasets")
    {
    }

    /// <summary>A catalog with every search root given explicitly (tests use it to stay off the real machine's folders).</summary>
    internal DatasetCatalog(string? dataDir, string? nablaData, string? home, string systemDir)
    {
        _dataDir = NullIfEmpty(dataDir);
        _nablaData = NullIfEmpty(nablaData);
        _home = NullIfEmpty(home);
        _systemDir = systemDir;
    }

    /// <summary>The directories searched for an installed dataset called <paramref name="name"/>, in order.</summary>
    public IReadOnlyList<string> SearchDirectories(string name)
    {
        // A root itself only stands for the well-known names, so `--data-dir` can point straight at the files.
        bool wellKnown = ImageNames.Contains(name);
        var dirs = new List<string>();
        foreach (var root in new[] { _dataDir, _nablaData })
        {
            if (root is null)
                continue;
            dirs.Add(Path.Combine(root, name));
            if (wellKnown)
                dirs.Add(root);
        }
        dirs.Add(Path.Combine(_systemDir, name));
        if (_home is not null)
            dirs.Add(Path.Combine(_home, ".nabla", "datasets", name));
        return dirs;
    }

    /// <summary>The first searched directory holding the four IDX files of <paramref name="name"/>, or null.</summary>
    public string? Locate(string name) => SearchDirectories(name).FirstOrDefault(IdxReader.IsDatasetDirectory);

    /// <summary>
    /// Where <c>nabla datasets download</c> puts <paramref name="name"/>: the data directory's NAME
    /// subfolder if one was given, else <c>$NABLA_DATA/NAME</c>, else <c>~/.nabla/datasets/NAME</c>.
    /// </summary>
    public string DownloadDirectory(string name)
    {
        string? root = _dataDir ?? _nablaData;
        if (root is not null)
            return Path.Combine(root, name);
        if (_home is null)
            throw new NablaInputException($"Cannot choose where to put {name}: no data directory was given, NABLA_DATA is not set and there is no home directory.");
        return Path.Combine(_home, ".nabla", "datasets", name);
    }

    /// <summary>Loads the dataset <paramref name="nameOrPath"/> names; see the class summary for what it may be.</summary>
    public Dataset<T> Load<T>(string nameOrPath, DatasetOptions? options = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        options ??= new DatasetOptions();
        string name = nameOrPath.Trim().ToLowerInvariant();
        var csv = new CsvOptions
        {
            Label = options.Label,
            Regression = options.Regression,
            ClassNames = options.ClassNames,
            Delimiter = options.Delimiter,
            Features = options.Features,
            Drop = options.Drop,
            Columns = options.Columns,
        };

        if (SyntheticNames.Contains(name))
            return MapClasses(Generate<T>(name, options), options.ClassNames);
        if (name == "iris")
            return CsvLoader.Parse<T>(EmbeddedData.ReadText("iris.csv"), "iris", csv);
        if (ImageNames.Contains(name))
        {
            string directory = Locate(name) ?? throw NotInstalled(name);
            var classes = name == "fashion-mnist" ? FashionMnistClasses : null;
            return MapClasses(IdxReader.LoadDirectory<T>(directory, options.Split, classes, name), options.ClassNames);
        }
        if (!LooksLikePath(nameOrPath) && Locate(nameOrPath.Trim()) is { } installed)
            return MapClasses(IdxReader.LoadDirectory<T>(installed, options.Split, name: nameOrPath.Trim()), options.ClassNames);
        if (Directory.Exists(nameOrPath))
            return MapClasses(IdxReader.LoadDirectory<T>(nameOrPath, options.Split), options.ClassNames);
        if (File.Exists(nameOrPath))
        {
            if (IdxReader.StandardFiles.Any(f => Path.GetFileName(nameOrPath).StartsWith(f, StringComparison.Ordinal)))
                throw new NablaInputException($"{nameOrPath}: expected a CSV file or a directory of IDX files; received a single IDX file (pass the directory that holds it).", nameOrPath);
            return CsvLoader.Load<T>(nameOrPath, csv);
        }
        if (LooksLikePath(nameOrPath))
            throw new NablaInputException($"{nameOrPath}: file not found; expected a .csv file or a directory of IDX files.", nameOrPath);
        throw new NablaInputException(
            $"Unknown dataset \"{nameOrPath}\": expected a built-in name ({string.Join(", ", SyntheticNames.Append("iris").Concat(ImageNames))}) or the path of a .csv file or an IDX directory.");
    }

    /// <summary>Every built-in dataset and every installed one, with where it was found (for <c>nabla datasets</c>).</summary>
    public IReadOnlyList<DatasetEntry> List()
    {
        var entries = new List<DatasetEntry>
        {
            new("gaussians", "two Gaussian classes in 2-D: N(1, 0.5²) and N(2, 0.2²) per coordinate (seed 000)", "generated"),
            new("moons", "two interleaving half circles, scikit-learn make_moons (seed 004)", "generated"),
            new("circles", "two concentric circles, scikit-learn make_circles", "generated"),
            new("spiral", "k interleaved spiral arms, one class each", "generated"),
            new("xor", "four noisy clusters at the unit square's corners, labelled by XOR", "generated"),
            new("xor-table", "the 4-row XOR truth table", "generated"),
            new("iris", "Fisher's iris: 150 samples, 4 features, 3 species", "embedded"),
        };
        foreach (var name in ImageNames)
        {
            string? location = Locate(name);
            string what = name == "fashion-mnist" ? "Zalando's clothing images" : "handwritten digits";
            entries.Add(new(name, location is null ? $"{what}, 28x28, 10 classes; not installed: {HowToGet(name)}" : $"{what}, 28x28, 10 classes", location));
        }
        foreach (var root in InstallRoots())
        {
            foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(dir);
                if (entries.All(e => e.Name != name) && IdxReader.IsDatasetDirectory(dir) && Locate(name) == dir)
                    entries.Add(new(name, "IDX images", dir));
            }
        }
        return entries;
    }

    private static Dataset<T> Generate<T>(string name, DatasetOptions o) where T : unmanaged, IFloatingPointIeee754<T> => name switch
    {
        "gaussians" => Synthetic.Gaussians<T>(o.Samples ?? 200, o.Seed),
        "moons" => Synthetic.Moons<T>(o.Samples ?? 200, o.Noise ?? 0.2, o.Seed),
        "circles" => Synthetic.Circles<T>(o.Samples ?? 200, o.Noise ?? 0.05, o.Factor ?? 0.5, o.Seed),
        "spiral" => Synthetic.Spiral<T>(o.Samples ?? 300, o.Arms ?? 3, o.Noise ?? 0.1, o.Seed),
        "xor" => Synthetic.Xor<T>(o.Samples ?? 200, o.Noise ?? 0.1, o.Seed),
        _ => Synthetic.XorTable<T>(),
    };

    /// <summary>Re-indexes the labels of <paramref name="dataset"/> onto <paramref name="classNames"/> (a model's), by name.</summary>
    private static Dataset<T> MapClasses<T>(Dataset<T> dataset, IReadOnlyList<string>? classNames) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (classNames is null || dataset.ClassNames!.SequenceEqual(classNames))
            return dataset;
        var map = new int[dataset.ClassNames!.Count];
        for (int k = 0; k < map.Length; k++)
        {
            map[k] = classNames.ToList().IndexOf(dataset.ClassNames[k]);
            if (map[k] < 0 && dataset.Labels!.Contains(k))
                throw new NablaInputException(
                    $"{dataset.Name}: class {Quoted.Value(dataset.ClassNames[k])} is not one the model knows; expected one of {Quoted.List(classNames)}.", dataset.Name);
        }
        var labels = dataset.Labels!.Select(l => map[l]).ToArray();
        return dataset.WithClasses(labels, classNames);
    }

    private NablaInputException NotInstalled(string name) =>
        new($"{name} is not installed: looked in {string.Join(", ", SearchDirectories(name))}. {HowToGet(name)[..1].ToUpperInvariant()}{HowToGet(name)[1..]}.");

    private static string HowToGet(string name) => name == "fashion-mnist"
        ? "get it with `apt-get install dataset-fashion-mnist` or `nabla datasets download fashion-mnist`"
        : $"put the four IDX files ({string.Join(", ", IdxReader.StandardFiles.Select(f => f + ".gz"))}) in ~/.nabla/datasets/{name} or $NABLA_DATA/{name}";

    private IEnumerable<string> InstallRoots()
    {
        var roots = new[] { _dataDir, _nablaData, _systemDir, _home is null ? null : Path.Combine(_home, ".nabla", "datasets") };
        return roots.OfType<string>().Distinct().Where(Directory.Exists);
    }

    private static bool LooksLikePath(string text) =>
        text.Contains('/') || text.Contains('\\') || text.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || text.StartsWith('.');

    private static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
