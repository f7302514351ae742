using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RecoveryConsole.Clusters;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests;

/// <summary>
/// An operator gives a registered cluster its AWS account on the cluster page: a plain-http endpoint off this machine is
/// refused at its field with nothing saved; once saved, the account reaches the cluster's connection and the secret
/// never comes back to the page.
/// </summary>
public sealed partial class ClusterBrowserTests
{
    [Fact]
    [Trait("Category", "Security")]
    public async Task Operator_registers_a_cloud_account_whose_secret_is_stored_and_never_shown_again()
    {
        await using var console = await TestConsole.StartAsync();
        var secret = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 40);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await Browser.LaunchAsync(playwright);
        var olivia = await Browser.SignInAsync(browser, console, await RealUsers.CreateOperatorAsync(console));

        await olivia.GotoAsync("/clusters/new");
        await olivia.Locator("input[name=cluster-name]").FillAsync("prod-west");
        for (var i = 0; i < 3; i++) await olivia.Locator($"input[name=host-address-{i}]").FillAsync("127.0.0.1");
        await olivia.Locator("textarea[name=private-key]").FillAsync(NewPrivateKey());
        await olivia.Locator("input[name=cloud-key-id]").FillAsync("AKIAPRODWEST00000001");
        await olivia.Locator("input[name=cloud-secret]").FillAsync(secret);
        await olivia.Locator("input[name=cloud-region]").FillAsync("eu-west-1");
        await olivia.Locator("input[name=cloud-endpoint]").FillAsync("http://10.0.0.5:9000/");
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Register cluster" }).ClickAsync();

        await Assertions.Expect(olivia.Locator("[data-testid=save-problems]")).ToContainTextAsync("Nothing was saved", new() { Timeout = Timeout });
        await Assertions.Expect(olivia.Locator("[data-testid=registration]")).ToContainTextAsync("would send signed requests in clear over the network", new() { Timeout = Timeout });
        Assert.Null(console.Get<ConsoleClusterRegistry>().Find("prod-west"));

        await olivia.Locator("input[name=cloud-endpoint]").FillAsync("https://s3.example.internal/");
        await olivia.GetByRole(AriaRole.Button, new() { Name = "Register cluster" }).ClickAsync();

        await Assertions.Expect(olivia).ToHaveURLAsync(new Regex("/clusters/prod-west$"), new() { Timeout = Timeout });
        await Assertions.Expect(olivia.Locator("[data-testid=stored-cloud]")).ToContainTextAsync("AKIAPRODWEST00000001 in eu-west-1", new() { Timeout = Timeout });
        Assert.Equal("", await olivia.Locator("input[name=cloud-secret]").InputValueAsync());
        await AssertNoSecretAsync(olivia, secret);
        var cloud = console.Get<ConsoleClusterRegistry>().Find("prod-west")!.Cloud!;
        Assert.Equal((secret, "eu-west-1", new Uri("https://s3.example.internal/")), (cloud.SecretAccessKey, cloud.Region, cloud.Endpoint));
    }
}
