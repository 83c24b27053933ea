/** What the replica keeps of an account. */
export interface ReplicaUser {
  id: string
  username: string
  display_name: string
  /** The version: the time of the change this row reflects. */
  updated_at: string
}

/** An account as a mention names it. */
export interface MentionedUser {
  user_id: string
  username: string
}
