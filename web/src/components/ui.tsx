import type { ComponentChildren } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import type { ApiError } from '../api.ts'

/** A page's heading; focused on arrival, so keyboard and screen-reader users start at the new page. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null)
  useEffect(() => ref.current?.focus(), [])
  return <h1 ref={ref} tabIndex={-1}>{children}</h1>
}

/** The server's message about the whole request (fields get theirs beside them). */
export function ErrorNote({ error }: { error: string | null | undefined }) {
  if (!error) return null
  return <p class="error" role="alert">{error}</p>
}

export function Field(props: {
  label: string
  name: string
  type?: 'text' | 'password' | 'email'
  value: string
  onInput: (value: string) => void
  error?: ApiError | null
  autocomplete?: string
  required?: boolean
  hint?: string
}) {
  const id = `field-${props.name}`
  const message = props.error?.field(props.name)
  const describedBy = [message ? `${id}-error` : '', props.hint ? `${id}-hint` : ''].filter(Boolean).join(' ') || undefined
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-invalid={message ? 'true' : undefined}
        aria-describedby={describedBy}
      />
      {props.hint && <p class="hint" id={`${id}-hint`}>{props.hint}</p>}
      {message && <p class="field-error" id={`${id}-error`}>{props.label}: {message}</p>}
    </div>
  )
}

/** An account's picture, or its initial on a plain disc when it has none. Decorative: the name is beside it. */
export function Avatar({ user, large = false }: { user: { display_name: string; username: string; avatar_url: string | null }; large?: boolean }) {
  const size = large ? 96 : 40
  const classes = large ? 'avatar large' : 'avatar'
  if (user.avatar_url) return <img class={classes} src={user.avatar_url} alt="" width={size} height={size} loading="lazy" />
  const initial = [...(user.display_name || user.username)][0]?.toUpperCase() ?? '?'
  return <span class={classes} aria-hidden="true">{initial}</span>
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>
}

export function MoreButton({ onMore, busy }: { onMore: () => void; busy: boolean }) {
  return <button type="button" class="more" onClick={onMore} disabled={busy}>{busy ? 'Loading…' : 'Show more'}</button>
}
