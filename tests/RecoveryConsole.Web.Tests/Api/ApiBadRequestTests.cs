using System.Net;
using System.Text;
using RecoveryConsole.Web.Tests.Support;

namespace RecoveryConsole.Web.Tests.Api;

/// <summary>Requests the framework refuses before an operation runs still answer in words (problem+json), never an empty 400.</summary>
[Trait("Category", "Security")]
public sealed class ApiBadRequestTests
{
    [Fact]
    public async Task A_body_that_is_not_json_a_wrong_content_type_and_an_unknown_route_are_explained()
    {
        await using var console = await TestConsole.StartAsync();
        using var olivia = await ApiClient.ForAsync(console, DemoUsers.Olivia.Name);

        var broken = await olivia.Http.PostAsync("/api/v1/runs", new StringContent("{\"procedureId\": ", Encoding.UTF8, "application/json"));
        Assert.StartsWith("The request could not be read: its body must be JSON", await ApiClient.ExpectAsync(broken, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        Assert.Equal("application/problem+json", broken.Content.Headers.ContentType?.MediaType);

        var text = await olivia.Http.PostAsync("/api/v1/runs", new StringContent("procedure=sample", Encoding.UTF8, "text/plain"));
        Assert.Equal("Send the body as application/json.", await ApiClient.ExpectAsync(text, HttpStatusCode.UnsupportedMediaType));

        var unknown = await olivia.Http.GetAsync("/api/v1/no-such-thing");
        Assert.Equal("There is no operation at /api/v1/no-such-thing; see /openapi/v1.json.", await ApiClient.ExpectAsync(unknown, HttpStatusCode.NotFound));

        // The operation's own refusals keep their own words (not replaced by the generic ones).
        var missing = Guid.NewGuid();
        Assert.Equal($"No run {missing}.", await ApiClient.ExpectAsync(await olivia.GetAsync($"/api/v1/runs/{missing}"), HttpStatusCode.NotFound));
    }
}
