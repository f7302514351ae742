using Microsoft.AspNetCore.Identity;
using RecoveryConsole.Audit;
using RecoveryConsole.Web.Hosting;

namespace RecoveryConsole.Web.Accounts;

public static class AccountServiceCollectionExtensions
{
    /// <summary>Local accounts (ASP.NET Core Identity in the console's SQLite file) with cookie sign-in.</summary>
    public static IServiceCollection AddConsoleAccounts(this IServiceCollection services, ConsoleOptions options)
    {
        services.AddIdentity<IdentityUser, IdentityRole>(o =>
            {
                // Long passphrases rather than symbol rules; lockout slows guessing without locking a team out for long.
                o.Password.RequiredLength = 10;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 10;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(2);
                o.User.RequireUniqueEmail = false;
            })
            .AddEntityFrameworkStores<AuditDbContext>()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = "/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/denied";
            o.Cookie.Name = "RecoveryConsole";
            o.Cookie.SameSite = SameSiteMode.Strict;
            // Secure whenever the browser used HTTPS, also behind the TLS proxy (see ProxyHeaders).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // An incident can last a night: do not expire in the middle of it.
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = context => Challenge(context, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = context => Challenge(context, StatusCodes.Status403Forbidden);
        });
        services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        // The stamp is checked on every request: a sign-out (new stamp) kills a copied cookie at once, not in 30 minutes.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.Zero);
        services.AddCascadingAuthenticationState();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidation>();
        services.AddScoped<AccountSeeder>();
        services.AddScoped<DemoAccountLifecycle>();
        services.AddScoped<SignInAttempts>();
        services.AddScoped<ClusterRoleAssignments>();
        services.AddSingleton(new DemoAccounts(options.Lab.Enabled));
        return services;
    }

    /// <summary>Programs (the hub's clients) get a status code; browsers get the login page.</summary>
    private static Task Challenge(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/hubs"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
