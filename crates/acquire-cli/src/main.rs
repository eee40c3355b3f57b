//! The `acquire` command.

#![forbid(unsafe_code)]

use std::{io::IsTerminal, process::ExitCode};

use acquire::{Case, CaseId, Client, ContactId, Error, ThreadId};
use clap::{Parser, Subcommand, ValueEnum};

/// Drive Acquire cases from a shell.
#[derive(Debug, Parser)]
#[command(name = "acquire", version, about)]
struct Cli {
    /// How to print results: a readable table (default on a terminal) or the API's JSON.
    #[arg(long, global = true, value_enum)]
    output: Option<Output>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Output {
    Table,
    Json,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Case operations.
    #[command(subcommand)]
    Cases(CasesCommand),
    /// Run the case lifecycle: against the account in the environment when
    /// ACQUIRE_API_KEY is set (or with --live), else against an embedded
    /// fake server.
    Demo {
        /// Require the account in the environment (ACQUIRE_ACCOUNT_ID or
        /// ACQUIRE_BASE_URL, and ACQUIRE_API_KEY).
        #[arg(long, conflicts_with = "fake")]
        live: bool,
        /// Use the embedded fake server even when credentials are set.
        #[arg(long)]
        fake: bool,
        /// The contact to create cases for.
        #[arg(long, default_value_t = 597752)]
        contact_id: i64,
        /// A closed thread of that contact to reopen.
        #[arg(long, default_value_t = 1683)]
        thread_id: i64,
    },
}

#[derive(Debug, Subcommand)]
enum CasesCommand {
    /// Create a case for a contact.
    Create {
        /// The contact.
        #[arg(long)]
        contact_id: i64,
        /// The case title.
        #[arg(long)]
        title: Option<String>,
        /// A first message.
        #[arg(long)]
        message: Option<String>,
    },
    /// Join a case as the calling agent.
    Join {
        /// The case.
        id: i64,
    },
    /// Reject a case as the calling agent.
    Reject {
        /// The case.
        id: i64,
    },
    /// Reopen a closed thread of a contact.
    Reopen {
        /// The contact.
        #[arg(long)]
        contact_id: i64,
        /// The closed thread.
        #[arg(long)]
        thread_id: i64,
    },
}

/// A failure and the exit code it maps to.
enum Failure {
    Usage(String),
    Call(Error),
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        match error {
            Error::Config(reason) => Failure::Usage(reason.to_string()),
            other => Failure::Call(other),
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = cli.output.unwrap_or(if std::io::stdout().is_terminal() {
        Output::Table
    } else {
        Output::Json
    });
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.command, output)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
        Err(Failure::Call(error)) => {
            eprintln!("error: {error}");
            ExitCode::from(1)
        }
    }
}

async fn run(command: Command, output: Output) -> Result<(), Failure> {
    match command {
        Command::Cases(command) => {
            let client = Client::from_env()?;
            let case = cases(&client, command).await?;
            print_case(&case, output);
            Ok(())
        }
        Command::Demo {
            live,
            fake,
            contact_id,
            thread_id,
        } => {
            let credentials = std::env::var_os(acquire::ENV_API_KEY).is_some_and(|v| !v.is_empty());
            let live = live || (credentials && !fake);
            demo(live, ContactId(contact_id), ThreadId(thread_id), output).await
        }
    }
}

async fn cases(client: &Client, command: CasesCommand) -> Result<Case, Error> {
    let cases = client.cases();
    match command {
        CasesCommand::Create {
            contact_id,
            title,
            message,
        } => {
            let mut create = cases.create(ContactId(contact_id));
            if let Some(title) = title {
                create = create.title(title);
            }
            if let Some(message) = message {
                create = create.message(message);
            }
            create.send().await
        }
        CasesCommand::Join { id } => cases.join(CaseId(id)).send().await,
        CasesCommand::Reject { id } => cases.reject(CaseId(id)).await,
        CasesCommand::Reopen {
            contact_id,
            thread_id,
        } => {
            cases
                .reopen(ContactId(contact_id), ThreadId(thread_id))
                .send()
                .await
        }
    }
}

async fn demo(
    live: bool,
    contact: ContactId,
    thread: ThreadId,
    output: Output,
) -> Result<(), Failure> {
    let mut fake = None;
    let client = if live {
        let client = Client::from_env()?;
        if output == Output::Table {
            println!("live Acquire account at {}", client.base_url());
        }
        client
    } else {
        let key = format!("demo-{}", std::process::id());
        let server = acquire_mock::MockServer::start(
            acquire_mock::MockConfig::default().with_api_key(key.clone()),
        )
        .await
        .map_err(|e| Failure::Usage(format!("cannot start the fake server: {e}")))?;
        let config = acquire::ClientConfig::default()
            .with_base_url(server.base_url())?
            .with_api_key(&key)?;
        if output == Output::Table {
            println!("fake Acquire server at {}", server.base_url());
        }
        fake = Some(server);
        Client::with_config(config)?
    };
    let cases = client.cases();

    step("create a case", output);
    let created = cases
        .create(contact)
        .title("Where is my order?")
        .message("Hello, my order has not arrived.")
        .send()
        .await?;
    print_case(&created, output);

    step("join it", output);
    let joined = cases.join(CaseId(created.id)).send().await?;
    print_case(&joined, output);

    step(&format!("reopen the closed thread {thread}"), output);
    let reopened = cases.reopen(contact, thread).send().await?;
    print_case(&reopened, output);

    step("reject the reopened case", output);
    let rejected = cases.reject(CaseId(reopened.id)).await?;
    print_case(&rejected, output);

    if let Some(server) = fake {
        server.shutdown().await;
    }
    Ok(())
}

fn step(title: &str, output: Output) {
    if output == Output::Table {
        println!("\n== {title}");
    }
}

fn text<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn print_case(case: &Case, output: Output) {
    match output {
        Output::Json => match serde_json::to_string(case) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("error: cannot encode the case: {e}"),
        },
        Output::Table => {
            println!(
                "case {:<6} status {:<9} channel {:<6} contact {:<8} thread {:<6} parent {}",
                case.id,
                text(case.status.as_ref()),
                text(case.channel.as_ref()),
                text(case.contact_id),
                text(case.thread_id),
                text(case.parent_id),
            );
            for user in &case.users {
                println!(
                    "  {:<8} {:<8} status {}",
                    text(user.type_.as_ref()),
                    text(user.user_id),
                    text(user.status.as_ref()),
                );
            }
        }
    }
}
