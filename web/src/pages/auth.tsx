import { useState } from 'preact/hooks'
import { ApiError, messageOf } from '../api.ts'
import { ErrorNote, Field, PageTitle } from '../components/ui.tsx'
import { Link, navigate, query } from '../router.tsx'
import { endedBecause, signIn, signUp } from '../session.ts'

const next = () => {
  const to = query.value.get('next')
  // Only a path of this site: never an absolute or protocol-relative URL.
  return to && to.startsWith('/') && !to.startsWith('//') ? to : '/home'
}

// Codes that are about one field, so the message goes beside it.
const FIELD_OF: Record<string, string> = { USR_USERNAME_TAKEN: 'username', USR_USERNAME_CONFUSABLE: 'username', USR_EMAIL_TAKEN: 'email' }

function withFieldCodes(error: ApiError) {
  const field = FIELD_OF[error.code]
  if (!field) return error
  return new ApiError({ ...error.problem, errors: [...(error.problem.errors ?? []), { field, message: error.message }] })
}

export function SignIn() {
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  const [error, setError] = useState<ApiError | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  async function submit(event: Event) {
    event.preventDefault()
    setBusy(true)
    setMessage(null)
    try {
      await signIn(username, password)
      navigate(next(), { replace: true })
    } catch (e) {
      setError(e instanceof ApiError ? e : null)
      setMessage(messageOf(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section class="auth">
      <PageTitle>Sign in to Starling</PageTitle>
      {endedBecause.value && <p class="notice" role="status">{endedBecause.value}</p>}
      <form onSubmit={submit} noValidate>
        <Field label="Username or email" name="username" value={username} onInput={setUsername} error={error} autocomplete="username" required />
        <Field label="Password" name="password" type="password" value={password} onInput={setPassword} error={error} autocomplete="current-password" required />
        <ErrorNote error={message} />
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
      <p>New here? <Link href="/signup">Create an account</Link></p>
    </section>
  )
}

export function SignUp() {
  const [fields, setFields] = useState({ username: '', email: '', password: '', display_name: '' })
  const [error, setError] = useState<ApiError | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const set = (name: keyof typeof fields) => (value: string) => setFields({ ...fields, [name]: value })
  async function submit(event: Event) {
    event.preventDefault()
    setBusy(true)
    setMessage(null)
    try {
      const { display_name, ...rest } = fields
      await signUp(display_name.trim() ? { ...rest, display_name } : rest)
      navigate('/home', { replace: true })
    } catch (e) {
      setError(e instanceof ApiError ? withFieldCodes(e) : null)
      setMessage(messageOf(e))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section class="auth">
      <PageTitle>Create your account</PageTitle>
      <form onSubmit={submit} noValidate>
        <Field label="Username" name="username" value={fields.username} onInput={set('username')} error={error} autocomplete="username" required hint="3 to 30 letters, digits or underscores" />
        <Field label="Display name" name="display_name" value={fields.display_name} onInput={set('display_name')} error={error} autocomplete="name" />
        <Field label="Email" name="email" type="email" value={fields.email} onInput={set('email')} error={error} autocomplete="email" required />
        <Field label="Password" name="password" type="password" value={fields.password} onInput={set('password')} error={error} autocomplete="new-password" required hint="At least 8 characters" />
        <ErrorNote error={message} />
        <button type="submit" class="primary" disabled={busy}>{busy ? 'Creating…' : 'Create account'}</button>
      </form>
      <p>Have an account? <Link href="/signin">Sign in</Link></p>
    </section>
  )
}
