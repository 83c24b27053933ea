import Type from 'typebox'

export const Liking = Type.Object({ liked: Type.Boolean(), like_count: Type.Integer() })
export const Retweeting = Type.Object({ retweeted: Type.Boolean(), retweet_count: Type.Integer() })
