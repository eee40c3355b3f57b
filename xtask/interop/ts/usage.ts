// A small typed use of the TypeScript types that openapi-typescript generates
// from openapi/acquire-cases.json. `cargo xtask interop` copies this file
// next to the generated `acquire-cases.ts` and runs `tsc --noEmit --strict`.
import type { components, operations, paths } from "./acquire-cases";

type Schemas = components["schemas"];
type Json<T> = T extends { content: { "application/json": infer B } } ? B : never;

export type Case = Schemas["Case"];
export type CreateCaseBody = Json<NonNullable<operations["create_case"]["requestBody"]>>;
export type CreateCaseQuery = operations["create_case"]["parameters"]["query"];
export type JoinCaseBody = Json<paths["/crm/messenger/chat/join"]["get"]["requestBody"]>;
export type RejectCaseBody = Json<paths["/crm/messenger/chat/reject"]["post"]["requestBody"]>;
export type CaseResponse = Json<operations["create_case"]["responses"][200]>;
export type ErrorResponse = Json<operations["create_case"]["responses"][400]>;

/** A minimal client over fetch, typed by the generated operations. */
export class Cases {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${this.apiKey}`,
        "Content-Type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) {
      const error = (await response.json()) as ErrorResponse;
      throw new Error(`${response.status} ${error.type ?? "?"}: ${error.message ?? ""}`);
    }
    return (await response.json()) as T;
  }

  create(query: CreateCaseQuery, body?: CreateCaseBody): Promise<CaseResponse> {
    return this.call("POST", `/crm/messenger/chat/create?contactId=${query.contactId}`, body);
  }

  /** Documented as a GET with a JSON body: fetch refuses that, so a real
   * client needs another HTTP library (node:http, undici) for this one. */
  join(body: JoinCaseBody): Promise<CaseResponse> {
    return this.call("GET", "/crm/messenger/chat/join", body);
  }

  reject(body: RejectCaseBody): Promise<CaseResponse> {
    return this.call("POST", "/crm/messenger/chat/reject", body);
  }
}

/** Open enums are plain strings: a value Acquire adds later still type-checks. */
export const futureStatus: Schemas["CaseStatus"] = "snoozed";

export function describe(c: Case): string {
  const agents = (c.users ?? []).filter((u) => u.type === "user");
  const closing: string | null | undefined = c.closingState;
  return `case ${c.id} (${c.status ?? "unknown"}, ${closing ?? "open"}) with ${agents.length} agent(s)`;
}

export const join: JoinCaseBody = { caseId: 1684, askJoin: false };
export const reopen: CreateCaseBody = {
  title: "Reopened",
  threadId: 1681,
  sessionId: 42,
  message: { type: "message", message: "Hello again", translateLangKey: "" },
};

// @ts-expect-error caseId is required by the spec (join's page: "must be included in the body")
export const missingCaseId: JoinCaseBody = { askJoin: true };
// Reject's page shows caseId only in its example: the spec does not require it.
export const bareReject: RejectCaseBody = {};

// Where the reference contradicts itself, every documented form type-checks.
export type ChatQuery = operations["send_chat_message"]["parameters"]["query"];
export const asContact: ChatQuery = { "x-user-type": "contact", contactId: 597752 };
// @ts-expect-error x-user-type is a required query parameter of send chat
export const noUserType: ChatQuery = { contactId: 597752 };
export const mentions: Schemas["CreateNoteRequest"] = { type: "note", mentionUsers: ["12", 12] };
export const contactSnooze: Schemas["CreateSnoozeRequest"] = {
  objectType: "contact",
  caseId: null,
  contactId: 597752,
  scheduleDate: "2021-03-25T09:00:00.000Z",
};
export const caseFields: Case["fields"][] = [[], { orderId: 311 }];

// Ids have named types: a function can say which id it takes.
export function caseUrl(id: Schemas["CaseId"]): string {
  return `/crm/objects/case/${id}`;
}
export const firstCase: string = caseUrl(1684);
export const threadOf = (c: Case): Schemas["ThreadId"] | undefined => c.threadId;
