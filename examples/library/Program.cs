using Nabla;
using Nabla.Data;
using Nabla.Init;
using Nabla.Models;
using Nabla.Optimizers;
using Nabla.Training;

var train = Synthetic.Moons<float>(200, noise: 0.2, seed: 1);
var architecture = Architecture.Mlp(inputs: 2, hidden: [8], outputs: 2, "tanh", "cross-entropy", train.ClassNames);
var model = architecture.Build<float>(GaussianInitializer.XavierNormal, new Rng(42));
var trainer = new Trainer<float>(model, architecture.CreateLoss<float>(), new Sgd<float>(0.5, momentum: 0.9));
trainer.Fit(train, new TrainingOptions<float> { Epochs = 200, BatchSize = 32, Seed = 7 });
var test = Evaluation.Run(model, trainer.Loss, Synthetic.Moons<float>(1000, noise: 0.2, seed: 2));
Console.WriteLine($"test accuracy {test.Accuracy:P1}");
